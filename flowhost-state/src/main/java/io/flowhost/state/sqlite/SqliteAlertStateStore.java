package io.flowhost.state.sqlite;

import io.flowhost.state.AlertStateStore;
import io.flowhost.state.StoreException;
import io.flowhost.state.StoredAlert;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Alert states in an SQLite table; written once per evaluation (every 15 s), so one connection behind a lock. */
final class SqliteAlertStateStore implements AlertStateStore, AutoCloseable {

    private final Connection db;

    private SqliteAlertStateStore(Connection db) {
        this.db = db;
    }

    static SqliteAlertStateStore open(Path file) {
        try {
            var db = FlowhostDb.open(file);
            return new SqliteAlertStateStore(db);
        } catch (SQLException e) {
            throw new StoreException("cannot open the alert states in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<StoredAlert> load() {
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
        } catch (SQLException e) {
            throw new StoreException("cannot read the alert states: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void save(List<StoredAlert> alerts) {
        try {
            db.setAutoCommit(false);
            try (var clear = db.createStatement();
                    var insert = db.prepareStatement("INSERT INTO alert_states (rule, service, state, value,"
                            + " active_since, firing_since, resolved_at) VALUES (?,?,?,?,?,?,?)")) {
                clear.executeUpdate("DELETE FROM alert_states");
                for (var alert : alerts) {
                    insert.setString(1, alert.rule());
                    insert.setString(2, alert.service());
                    insert.setString(3, alert.state());
                    if (alert.value() == null) {
                        insert.setNull(4, Types.REAL);
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
            db.commit();
        } catch (SQLException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the first failure is the one worth reporting
            }
            throw new StoreException("cannot save the alert states: " + e.getMessage(), e);
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is unusable; the next statement reports it
            }
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static void setInstant(PreparedStatement st, int column, Instant at) throws SQLException {
        if (at == null) {
            st.setNull(column, Types.INTEGER);
        } else {
            st.setLong(column, at.toEpochMilli());
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing at shutdown; nothing left to protect
        }
    }
}
