package io.flowhost.state.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.flowhost.state.AlertStateStore;
import io.flowhost.state.AuditStore;
import io.flowhost.state.Cluster;
import io.flowhost.state.DeploymentStore;
import io.flowhost.state.Leadership;
import io.flowhost.state.RequestStore;
import io.flowhost.state.StateStore;
import io.flowhost.state.StoreException;
import io.flowhost.state.TableStore;
import io.flowhost.state.TokenStore;
import io.flowhost.state.internal.SchemaMigrations;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The platform's state in PostgreSQL, to be shared by several gateways: one connection pool (HikariCP) for every
 * store, and the schema brought up to date by Flyway on open ({@code db/postgresql/V*.sql}), so that a newer
 * flowhost migrates an older database and never the other way round.
 */
public final class PostgresStateStore implements StateStore {

    /** Connections per gateway: the async writers, the reads of the API and the control loops. */
    static final int POOL_SIZE = 16;

    /** Threads that group-commit async submits, each holding a connection while it commits a batch. */
    static final int WRITERS = 4;

    private final HikariDataSource pool;
    private final PostgresDeploymentStore deployments;
    private final PostgresRequestStore requests;
    private final PostgresAlertStateStore alerts;
    private final PostgresTokenStore tokens;
    private final PostgresAuditStore audit;
    private final PostgresTableStore tables;
    private final PostgresLeadership leadership;
    private final PostgresCluster cluster;
    private final Notifications notifications;

    private PostgresStateStore(HikariDataSource pool, PostgresUrl url) {
        this.pool = pool;
        var fence = new Fence();
        deployments = new PostgresDeploymentStore(pool);
        requests = new PostgresRequestStore(pool, WRITERS, fence);
        alerts = new PostgresAlertStateStore(pool, fence);
        tokens = new PostgresTokenStore(pool);
        audit = new PostgresAuditStore(pool);
        tables = new PostgresTableStore(pool);
        leadership = new PostgresLeadership(pool, fence);
        cluster = new PostgresCluster(pool);
        notifications = new Notifications(
                url,
                Map.of(Notifications.FINISHED, requests::finishedElsewhere, Notifications.CLUSTER, cluster::heard));
        notifications.onRecheck(requests::recheckWaited);
        notifications.onRecheck(cluster::recheck);
    }

    /** Connects, migrates the schema to this version's, and opens every store; fails saying what went wrong. */
    public static PostgresStateStore open(PostgresUrl url) {
        var config = new HikariConfig();
        config.setJdbcUrl(url.jdbc());
        config.setPoolName("flowhost-state");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(2);
        // How long a call waits for a connection while the database is away, before its 503.
        config.setConnectionTimeout(5_000);
        // A 202 means committed: never let a URL parameter or a server default turn synchronous commit off.
        config.setConnectionInitSql("SET synchronous_commit = on");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the state database " + url + ": " + rootMessage(e), e);
        }
        try {
            SchemaMigrations.migrate(
                    Flyway.configure()
                            .dataSource(pool)
                            .locations("classpath:db/postgresql")
                            .failOnMissingLocations(true),
                    url.toString());
        } catch (FlywayException e) {
            pool.close();
            throw new StoreException("cannot bring the state database " + url + " up to date: " + rootMessage(e), e);
        }
        return new PostgresStateStore(pool, url);
    }

    @Override
    public DeploymentStore deployments() {
        return deployments;
    }

    @Override
    public RequestStore requests() {
        return requests;
    }

    @Override
    public AlertStateStore alerts() {
        return alerts;
    }

    @Override
    public TokenStore tokens() {
        return tokens;
    }

    @Override
    public AuditStore audit() {
        return audit;
    }

    @Override
    public TableStore tables() {
        return tables;
    }

    @Override
    public Leadership leadership() {
        return leadership;
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        notifications.close();
        requests.close();
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        var root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
