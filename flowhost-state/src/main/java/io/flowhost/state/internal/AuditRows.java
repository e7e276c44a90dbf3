package io.flowhost.state.internal;

import io.flowhost.domain.audit.AuditEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Audit events as rows of the {@code audit} table, the same in any SQL store; times in epoch milliseconds. */
public final class AuditRows {

    private static final String COLUMNS = "at, actor, source, action, target, result, status, detail";

    private AuditRows() {}

    public static void add(Connection db, List<AuditEvent> events) throws SQLException {
        try (var st = db.prepareStatement("INSERT INTO audit (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)")) {
            for (var e : events) {
                st.setLong(1, e.at().toEpochMilli());
                st.setString(2, e.actor());
                st.setString(3, e.source());
                st.setString(4, e.action());
                st.setString(5, e.target());
                st.setString(6, e.result());
                st.setInt(7, e.status());
                st.setString(8, e.detail());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    public static List<AuditEvent> since(Connection db, Instant since, int limit) throws SQLException {
        // the newest `limit` at or after `since`, turned oldest first
        try (var st = db.prepareStatement(
                "SELECT " + COLUMNS + " FROM audit WHERE at >= ? ORDER BY at DESC, seq DESC LIMIT ?")) {
            st.setLong(1, since.toEpochMilli());
            st.setInt(2, limit);
            try (var rs = st.executeQuery()) {
                var out = new ArrayList<AuditEvent>();
                while (rs.next()) {
                    out.add(new AuditEvent(
                            Instant.ofEpochMilli(rs.getLong(1)),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getInt(7),
                            rs.getString(8)));
                }
                return out.reversed();
            }
        }
    }

    public static int prune(Connection db, Instant before) throws SQLException {
        try (var st = db.prepareStatement("DELETE FROM audit WHERE at < ?")) {
            st.setLong(1, before.toEpochMilli());
            return st.executeUpdate();
        }
    }
}
