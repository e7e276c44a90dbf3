package io.flowhost.state.postgres;

import io.flowhost.state.AlertStateStore;
import io.flowhost.state.StoreException;
import io.flowhost.state.StoredAlert;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Alert states in PostgreSQL, replaced as a whole by each evaluation (every 15 s). */
final class PostgresAlertStateStore implements AlertStateStore {

    private final DataSource pool;
    private final Fence fence;

    PostgresAlertStateStore(DataSource pool, Fence fence) {
        this.pool = pool;
        this.fence = fence;
    }

    @Override
    public List<StoredAlert> load() {
        try (var db = pool.getConnection();
                var st = db.createStatement();
                var rs = st.executeQuery("SELECT rule, service, state, value, active_since, firing_since, resolved_at"
                        + " FROM alert_states ORDER BY rule, service")) {
            var out = new ArrayList<StoredAlert>();
            while (rs.next()) {
                out.add(new StoredAlert(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getObject(4) == null ? null : rs.getDouble(4),
                        Jdbc.instant(rs, 5),
                        Jdbc.instant(rs, 6),
                        Jdbc.instant(rs, 7)));
            }
            return out;
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read the alert states", e, StoreException::new);
        }
    }

    @Override
    public void save(List<StoredAlert> alerts) {
        try {
            Jdbc.inTransaction(pool, db -> {
                fence.check(db); // evaluating alerts is the leader's
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
                        Jdbc.setInstant(insert, 5, alert.activeSince());
                        Jdbc.setInstant(insert, 6, alert.firingSince());
                        Jdbc.setInstant(insert, 7, alert.resolvedAt());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                return null;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("cannot save the alert states", e, StoreException::new);
        }
    }
}
