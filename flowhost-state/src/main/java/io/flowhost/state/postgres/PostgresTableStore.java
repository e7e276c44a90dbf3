package io.flowhost.state.postgres;

import io.flowhost.domain.table.KeyType;
import io.flowhost.domain.table.TableVersion;
import io.flowhost.state.StoreException;
import io.flowhost.state.TableStore;
import io.flowhost.state.internal.TableRows;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Table versions in PostgreSQL, so that every gateway builds the same versions: a version is numbered under a
 * transaction-scoped advisory lock on its table, so that two gateways beginning at once get two numbers.
 */
final class PostgresTableStore implements TableStore {

    private final DataSource pool;

    PostgresTableStore(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public TableVersion begin(String table, KeyType keyType, String source, String by, Instant at) {
        try (var db = pool.getConnection()) {
            db.setAutoCommit(false);
            try {
                try (var lock = db.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('table:' || ?))")) {
                    lock.setString(1, table);
                    lock.execute();
                }
                var begun = TableRows.begin(db, table, keyType, source, by, at);
                db.commit();
                return begun;
            } catch (SQLException e) {
                db.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw Jdbc.failure("cannot begin a version of table '" + table + "'", e, StoreException::new);
        }
    }

    @Override
    public void update(List<TableVersion> changed) {
        try (var db = pool.getConnection()) {
            db.setAutoCommit(false);
            try {
                TableRows.update(db, changed);
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw Jdbc.failure("cannot change " + changed, e, StoreException::new);
        }
    }

    @Override
    public List<TableVersion> versions(String table) {
        try (var db = pool.getConnection()) {
            return TableRows.versions(db, table);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read table '" + table + "'", e, StoreException::new);
        }
    }

    @Override
    public List<TableVersion> all() {
        try (var db = pool.getConnection()) {
            return TableRows.all(db);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read the tables", e, StoreException::new);
        }
    }

    @Override
    public int drop(String table) {
        try (var db = pool.getConnection()) {
            return TableRows.drop(db, table);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot drop table '" + table + "'", e, StoreException::new);
        }
    }
}
