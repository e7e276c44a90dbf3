package io.flowhost.state.postgres;

import io.flowhost.state.AlertStateStore;
import io.flowhost.state.StoreException;
import io.flowhost.state.StoredAlert;
import io.flowhost.state.internal.AlertRows;
import java.sql.SQLException;
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
        try (var db = pool.getConnection()) {
            return AlertRows.load(db);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read the alert states", e, StoreException::new);
        }
    }

    @Override
    public void save(List<StoredAlert> alerts) {
        try {
            Jdbc.inTransaction(pool, db -> {
                fence.check(db); // evaluating alerts is the leader's
                AlertRows.replace(db, alerts);
                return null;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("cannot save the alert states", e, StoreException::new);
        }
    }
}
