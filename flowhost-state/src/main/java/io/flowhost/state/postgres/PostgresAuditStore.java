package io.flowhost.state.postgres;

import io.flowhost.domain.audit.AuditEvent;
import io.flowhost.state.AuditStore;
import io.flowhost.state.StoreException;
import io.flowhost.state.internal.AuditRows;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** The audit trail in PostgreSQL, so that one command reads what every gateway recorded. */
final class PostgresAuditStore implements AuditStore {

    private final DataSource pool;

    PostgresAuditStore(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public void add(List<AuditEvent> events) {
        try (var db = pool.getConnection()) {
            AuditRows.add(db, events);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot keep " + events.size() + " audit events", e, StoreException::new);
        }
    }

    @Override
    public List<AuditEvent> since(Instant since, int limit) {
        try (var db = pool.getConnection()) {
            return AuditRows.since(db, since, limit);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read the audit trail", e, StoreException::new);
        }
    }

    @Override
    public int prune(Instant before) {
        try (var db = pool.getConnection()) {
            return AuditRows.prune(db, before);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot prune the audit trail", e, StoreException::new);
        }
    }
}
