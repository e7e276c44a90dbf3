package io.flowhost.state.internal;

import io.flowhost.state.StoredAlert;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Alert states as rows of the {@code alert_states} table, read and replaced the same way in any SQL store. */
public final class AlertRows {

    private AlertRows() {}

    /** Every alert kept, by rule and service. */
    public static List<StoredAlert> load(Connection db) throws SQLException {
        try (var st = db.createStatement();
                var rs = st.executeQuery("SELECT rule, service, state, value, active_since, firing_since, resolved_at"
                        + " FROM alert_states ORDER BY rule, service")) {
            var out = new ArrayList<StoredAlert>();
            while (rs.next()) {
                out.add(new StoredAlert(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getObject(4) == null ? null : rs.getDouble(4),
                        instant(rs, 5),
                        instant(rs, 6),
                        instant(rs, 7)));
            }
            return out;
        }
    }

    /** Replaces what is kept by these alerts; call inside a transaction. */
    public static void replace(Connection db, List<StoredAlert> alerts) throws SQLException {
        try (var clear = db.createStatement();
                var insert = db.prepareStatement("INSERT INTO alert_states (rule, service, state, value,"
                        + " active_since, firing_since, resolved_at) VALUES (?,?,?,?,?,?,?)")) {
            clear.executeUpdate("DELETE FROM alert_states");
            for (var alert : alerts) {
                insert.setString(1, alert.rule());
                insert.setString(2, alert.service());
                insert.setString(3, alert.state());
                if (alert.value() == null) {
                    insert.setNull(4, Types.DOUBLE);
                } else {
                    insert.setDouble(4, alert.value());
                }
                setInstant(insert, 5, alert.activeSince());
                setInstant(insert, 6, alert.firingSince());
                setInstant(insert, 7, alert.resolvedAt());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static void setInstant(PreparedStatement st, int column, Instant at) throws SQLException {
        if (at == null) {
            st.setNull(column, Types.BIGINT);
        } else {
            st.setLong(column, at.toEpochMilli());
        }
    }
}
