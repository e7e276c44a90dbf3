package io.flowhost.state.sqlite;

import io.flowhost.domain.audit.AuditEvent;
import io.flowhost.state.AuditStore;
import io.flowhost.state.StoreException;
import io.flowhost.state.internal.AuditRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** The audit trail in an SQLite table: one connection behind a lock, a batch of events in one transaction. */
final class SqliteAuditStore implements AuditStore, AutoCloseable {

    private final Connection db;

    private SqliteAuditStore(Connection db) {
        this.db = db;
    }

    static SqliteAuditStore open(Path file) {
        try {
            return new SqliteAuditStore(FlowhostDb.open(file));
        } catch (SQLException e) {
            throw new StoreException("cannot open the audit trail in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void add(List<AuditEvent> events) {
        try {
            db.setAutoCommit(false);
            try {
                AuditRows.add(db, events);
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot keep " + events.size() + " audit events: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<AuditEvent> since(Instant since, int limit) {
        try {
            return AuditRows.since(db, since, limit);
        } catch (SQLException e) {
            throw new StoreException("cannot read the audit trail: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized int prune(Instant before) {
        try {
            return AuditRows.prune(db, before);
        } catch (SQLException e) {
            throw new StoreException("cannot prune the audit trail: " + e.getMessage(), e);
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
