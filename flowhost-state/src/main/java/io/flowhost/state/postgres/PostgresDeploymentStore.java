package io.flowhost.state.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.state.DeploymentStore;
import io.flowhost.state.StoreException;
import io.flowhost.state.internal.DeploymentRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Deployments in PostgreSQL, shared by every gateway: one ACTIVE per service, kept so by a unique index. */
final class PostgresDeploymentStore implements DeploymentStore {

    private static final String SELECT = "SELECT " + DeploymentRows.COLUMNS + " FROM deployments ";

    private final DataSource pool;

    PostgresDeploymentStore(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public int nextVersion(String service) {
        try (var db = pool.getConnection();
                var st = db.prepareStatement(
                        "SELECT COALESCE(MAX(version), 0) + 1 FROM deployments WHERE service = ?")) {
            st.setString(1, service);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read versions of " + service, e, StoreException::new);
        }
    }

    /** Every gateway reads the deployments again once this transaction commits (within a second, not at its next poll). */
    private static void tellEveryGateway(Connection db) throws SQLException {
        try (var st = db.prepareStatement("SELECT pg_notify(?, ?)")) {
            st.setString(1, Notifications.CLUSTER);
            st.setString(2, PostgresCluster.CHANGED);
            st.execute();
        }
    }

    @Override
    public void activate(Deployment deployment) {
        try {
            Jdbc.inTransaction(pool, db -> {
                try (var retire = db.prepareStatement(DeploymentRows.RETIRE_REPLACED);
                        var insert = db.prepareStatement(DeploymentRows.INSERT)) {
                    DeploymentRows.bindRetireReplaced(retire, deployment);
                    retire.executeUpdate();
                    DeploymentRows.bind(insert, deployment.withState(Deployment.State.ACTIVE));
                    insert.executeUpdate();
                    tellEveryGateway(db);
                } catch (JsonProcessingException e) {
                    throw new StoreException("cannot write deployment " + deployment.id() + ": " + e.getMessage(), e);
                }
                return null;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("cannot record deployment " + deployment.id(), e, StoreException::new);
        }
    }

    @Override
    public void update(Deployment deployment) {
        try {
            Jdbc.inTransaction(pool, db -> {
                try (var retire = db.prepareStatement(DeploymentRows.RETIRE_REPLACED);
                        var update = db.prepareStatement(DeploymentRows.UPDATE)) {
                    if (deployment.state() == Deployment.State.ACTIVE) {
                        DeploymentRows.bindRetireReplaced(retire, deployment);
                        retire.executeUpdate();
                    }
                    DeploymentRows.bindUpdate(update, deployment);
                    update.executeUpdate();
                    tellEveryGateway(db);
                } catch (JsonProcessingException e) {
                    throw new StoreException("cannot write deployment " + deployment.id() + ": " + e.getMessage(), e);
                }
                return null;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("cannot update deployment " + deployment.id(), e, StoreException::new);
        }
    }

    @Override
    public void retire(String id) {
        try {
            Jdbc.inTransaction(pool, db -> {
                try (var st = db.prepareStatement("UPDATE deployments SET state = 'RETIRED' WHERE id = ?")) {
                    st.setString(1, id);
                    st.executeUpdate();
                }
                tellEveryGateway(db);
                return null;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("cannot retire deployment " + id, e, StoreException::new);
        }
    }

    @Override
    public Optional<Deployment> find(String id) {
        return query("WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<Deployment> all() {
        return query("ORDER BY created_at DESC, version DESC");
    }

    @Override
    public List<Deployment> active() {
        return query("WHERE state = 'ACTIVE' ORDER BY service, version");
    }

    private List<Deployment> query(String where, String... args) {
        try (var db = pool.getConnection();
                var st = db.prepareStatement(SELECT + where)) {
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
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read deployments", e, StoreException::new);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot read deployments: " + e.getMessage(), e);
        }
    }
}
