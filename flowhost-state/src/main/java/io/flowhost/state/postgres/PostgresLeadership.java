package io.flowhost.state.postgres;

import io.flowhost.state.Leadership;
import io.flowhost.state.StoreException;
import io.flowhost.state.internal.LeaseRows;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** The control loops' lease in PostgreSQL: the row is locked for the decision, so two gateways never both win. */
final class PostgresLeadership implements Leadership {

    private static final String ENSURE =
            "INSERT INTO leadership (name, holder, term, lease_until) VALUES (?, '', 0, 0) ON CONFLICT DO NOTHING";
    private static final String LOCK = "SELECT holder, term, lease_until FROM leadership WHERE name = ? FOR UPDATE";

    private final DataSource pool;
    private final Fence fence;

    PostgresLeadership(DataSource pool, Fence fence) {
        this.pool = pool;
        this.fence = fence;
    }

    @Override
    public Optional<Term> lead(String holder, Duration lease, Instant now) {
        try {
            var term = Jdbc.inTransaction(pool, db -> {
                LeaseRows.ensureRow(db, ENSURE);
                return LeaseRows.lead(db, LOCK, holder, lease, now);
            });
            term.ifPresent(fence::held);
            return term;
        } catch (SQLException e) {
            throw Jdbc.failure("cannot renew the leadership lease", e, StoreException::new);
        }
    }

    @Override
    public Optional<Term> leader(Instant now) {
        try (var db = pool.getConnection()) {
            return LeaseRows.leader(db, now);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read the leadership lease", e, StoreException::new);
        }
    }

    @Override
    public void resign(String holder) {
        try (var db = pool.getConnection()) {
            LeaseRows.resign(db, holder);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot resign the leadership lease", e, StoreException::new);
        }
    }
}
