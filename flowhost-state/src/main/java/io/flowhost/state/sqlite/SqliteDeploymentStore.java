package io.flowhost.state.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.state.DeploymentStore;
import io.flowhost.state.StoreException;
import io.flowhost.state.internal.DeploymentRows;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deployments kept in an embedded SQLite file (WAL mode), so that they come back after a restart.
 *
 * <p>Management calls are rare next to endpoint calls, so one connection behind a lock is enough.
 */
public final class SqliteDeploymentStore implements DeploymentStore, AutoCloseable {

    private static final String COLUMNS = DeploymentRows.COLUMNS;

    private final Connection db;

    private SqliteDeploymentStore(Connection db) {
        this.db = db;
    }

    /** Opens (creating if needed) the store in the given file. */
    public static SqliteDeploymentStore open(Path file) {
        try {
            var db = FlowhostDb.open(file);
            return new SqliteDeploymentStore(db);
        } catch (SQLException e) {
            throw new StoreException("cannot open the deployments database " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized int nextVersion(String service) {
        try (var st = db.prepareStatement("SELECT COALESCE(MAX(version), 0) + 1 FROM deployments WHERE service = ?")) {
            st.setString(1, service);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read versions of " + service, e);
        }
    }

    @Override
    public synchronized void activate(Deployment deployment) {
        try {
            db.setAutoCommit(false);
            try (var retire = db.prepareStatement(DeploymentRows.RETIRE_REPLACED);
                    var insert = db.prepareStatement(DeploymentRows.INSERT)) {
                DeploymentRows.bindRetireReplaced(retire, deployment);
                retire.executeUpdate();
                DeploymentRows.bind(insert, deployment.withState(Deployment.State.ACTIVE));
                insert.executeUpdate();
            }
            db.commit();
        } catch (SQLException | JsonProcessingException e) {
            rollback();
            throw new StoreException("cannot record deployment " + deployment.id() + ": " + e.getMessage(), e);
        } finally {
            autoCommit();
        }
    }

    @Override
    public synchronized void update(Deployment deployment) {
        try {
            db.setAutoCommit(false);
            try (var retire = db.prepareStatement(DeploymentRows.RETIRE_REPLACED);
                    var update = db.prepareStatement(DeploymentRows.UPDATE)) {
                if (deployment.state() == Deployment.State.ACTIVE) {
                    DeploymentRows.bindRetireReplaced(retire, deployment);
                    retire.executeUpdate();
                }
                DeploymentRows.bindUpdate(update, deployment);
                update.executeUpdate();
            }
            db.commit();
        } catch (SQLException | JsonProcessingException e) {
            rollback();
            throw new StoreException("cannot update deployment " + deployment.id() + ": " + e.getMessage(), e);
        } finally {
            autoCommit();
        }
    }

    @Override
    public synchronized void retire(String id) {
        try (var st = db.prepareStatement("UPDATE deployments SET state = 'RETIRED' WHERE id = ?")) {
            st.setString(1, id);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot retire deployment " + id, e);
        }
    }

    @Override
    public synchronized Optional<Deployment> find(String id) {
        var found = query("SELECT " + COLUMNS + " FROM deployments WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public synchronized List<Deployment> all() {
        return query("SELECT " + COLUMNS + " FROM deployments ORDER BY created_at DESC, version DESC");
    }

    @Override
    public synchronized List<Deployment> active() {
        return query("SELECT " + COLUMNS + " FROM deployments WHERE state = 'ACTIVE' ORDER BY service, version");
    }

    private List<Deployment> query(String sql, String... args) {
        try (var st = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                st.setString(i + 1, args[i]);
            }
            try (var rs = st.executeQuery()) {
                var out = new ArrayList<Deployment>();
                while (rs.next()) {
                    out.add(DeploymentRows.read(rs));
                }
                return out;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new StoreException("cannot read deployments: " + e.getMessage(), e);
        }
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
    }

    private void autoCommit() {
        try {
            db.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is unusable; the next statement reports it
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
