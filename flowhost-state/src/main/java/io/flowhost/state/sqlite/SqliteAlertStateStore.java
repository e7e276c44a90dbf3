package io.flowhost.state.sqlite;

import io.flowhost.state.AlertStateStore;
import io.flowhost.state.StoreException;
import io.flowhost.state.StoredAlert;
import io.flowhost.state.internal.AlertRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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
        try {
            return AlertRows.load(db);
        } catch (SQLException e) {
            throw new StoreException("cannot read the alert states: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void save(List<StoredAlert> alerts) {
        try {
            db.setAutoCommit(false);
            AlertRows.replace(db, alerts);
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

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing at shutdown; nothing left to protect
        }
    }
}
