package io.flowhost.state.sqlite;

import io.flowhost.domain.table.KeyType;
import io.flowhost.domain.table.TableVersion;
import io.flowhost.state.StoreException;
import io.flowhost.state.TableStore;
import io.flowhost.state.internal.TableRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Table versions in an SQLite table: one connection behind a lock, each change in one transaction. */
final class SqliteTableStore implements TableStore, AutoCloseable {

    private final Connection db;

    private SqliteTableStore(Connection db) {
        this.db = db;
    }

    static SqliteTableStore open(Path file) {
        try {
            return new SqliteTableStore(FlowhostDb.open(file));
        } catch (SQLException e) {
            throw new StoreException("cannot open the tables in " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized TableVersion begin(String table, KeyType keyType, String source, String by, Instant at) {
        try {
            return inTransaction(() -> TableRows.begin(db, table, keyType, source, by, at));
        } catch (SQLException e) {
            throw new StoreException("cannot begin a version of table '" + table + "': " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void update(List<TableVersion> changed) {
        try {
            inTransaction(() -> {
                TableRows.update(db, changed);
                return null;
            });
        } catch (SQLException e) {
            throw new StoreException("cannot change " + changed + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<TableVersion> versions(String table) {
        try {
            return TableRows.versions(db, table);
        } catch (SQLException e) {
            throw new StoreException("cannot read table '" + table + "': " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<TableVersion> all() {
        try {
            return TableRows.all(db);
        } catch (SQLException e) {
            throw new StoreException("cannot read the tables: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized int drop(String table) {
        try {
            return TableRows.drop(db, table);
        } catch (SQLException e) {
            throw new StoreException("cannot drop table '" + table + "': " + e.getMessage(), e);
        }
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs the work in a {@code BEGIN IMMEDIATE} transaction: the file's write lock is taken first (waiting up to the
     * busy timeout), since a deferred transaction that reads and then writes while another connection to the file
     * wrote in between fails at once with SQLITE_BUSY instead of waiting.
     */
    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (var st = db.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            try {
                var result = work.run();
                st.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                st.execute("ROLLBACK");
                throw e;
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
