package io.flowhost.state.internal;

import io.flowhost.domain.table.KeyType;
import io.flowhost.domain.table.TableVersion;
import io.flowhost.domain.table.TableVersion.State;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Table versions as rows of the {@code table_versions} table, the same in any SQL store; times in epoch ms. */
public final class TableRows {

    private static final String COLUMNS = "table_name, version, key_type, state, source, created_by, row_count,"
            + " byte_count, created_at, published_at, load_ms, failure";

    private TableRows() {}

    /** Inserts the next version of the table; the caller holds the transaction (or the lock) that makes it next. */
    public static TableVersion begin(Connection db, String table, KeyType keyType, String source, String by, Instant at)
            throws SQLException {
        int next;
        try (var st =
                db.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM table_versions WHERE table_name = ?")) {
            st.setString(1, table);
            try (var rs = st.executeQuery()) {
                rs.next();
                next = rs.getInt(1);
            }
        }
        var begun = TableVersion.begun(table, next, keyType, source, by, at);
        try (var st =
                db.prepareStatement("INSERT INTO table_versions (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            bind(st, begun);
            st.executeUpdate();
        }
        return begun;
    }

    public static void update(Connection db, List<TableVersion> changed) throws SQLException {
        try (var st = db.prepareStatement("UPDATE table_versions SET state = ?, row_count = ?, byte_count = ?,"
                + " published_at = ?, load_ms = ?, failure = ?, key_type = ? WHERE table_name = ? AND version = ?")) {
            for (var v : changed) {
                st.setString(1, v.state().name());
                st.setLong(2, v.rows());
                st.setLong(3, v.bytes());
                setInstant(st, 4, v.publishedAt());
                st.setLong(5, v.loadMillis());
                st.setString(6, v.failure());
                st.setString(7, v.keyType().name());
                st.setString(8, v.table());
                st.setInt(9, v.version());
                // one statement at a time, in order: the unique index on the current version is checked per row
                st.executeUpdate();
            }
        }
    }

    public static List<TableVersion> versions(Connection db, String table) throws SQLException {
        try (var st = db.prepareStatement(
                "SELECT " + COLUMNS + " FROM table_versions WHERE table_name = ? ORDER BY version DESC")) {
            st.setString(1, table);
            return read(st.executeQuery());
        }
    }

    public static List<TableVersion> all(Connection db) throws SQLException {
        try (var st = db.prepareStatement("SELECT " + COLUMNS
                + " FROM table_versions WHERE state <> 'RETIRED' ORDER BY table_name, version DESC")) {
            return read(st.executeQuery());
        }
    }

    public static int drop(Connection db, String table) throws SQLException {
        try (var st = db.prepareStatement("DELETE FROM table_versions WHERE table_name = ?")) {
            st.setString(1, table);
            return st.executeUpdate();
        }
    }

    private static void bind(PreparedStatement st, TableVersion v) throws SQLException {
        st.setString(1, v.table());
        st.setInt(2, v.version());
        st.setString(3, v.keyType().name());
        st.setString(4, v.state().name());
        st.setString(5, v.source());
        st.setString(6, v.by());
        st.setLong(7, v.rows());
        st.setLong(8, v.bytes());
        st.setLong(9, v.createdAt().toEpochMilli());
        setInstant(st, 10, v.publishedAt());
        st.setLong(11, v.loadMillis());
        st.setString(12, v.failure());
    }

    private static void setInstant(PreparedStatement st, int index, Instant at) throws SQLException {
        if (at == null) {
            st.setNull(index, Types.BIGINT);
        } else {
            st.setLong(index, at.toEpochMilli());
        }
    }

    private static List<TableVersion> read(ResultSet rs) throws SQLException {
        try (rs) {
            var out = new ArrayList<TableVersion>();
            while (rs.next()) {
                long published = rs.getLong(10);
                var publishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(published);
                out.add(new TableVersion(
                        rs.getString(1),
                        rs.getInt(2),
                        KeyType.valueOf(rs.getString(3)),
                        State.valueOf(rs.getString(4)),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getLong(7),
                        rs.getLong(8),
                        Instant.ofEpochMilli(rs.getLong(9)),
                        publishedAt,
                        rs.getLong(11),
                        rs.getString(12)));
            }
            return out;
        }
    }
}
