package io.flowhost.state.sqlite;

import io.flowhost.state.AlertStateStore;
import io.flowhost.state.Cluster;
import io.flowhost.state.DeploymentStore;
import io.flowhost.state.Leadership;
import io.flowhost.state.RequestStore;
import io.flowhost.state.StateStore;
import io.flowhost.state.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded state store: deployments and alert states in {@code flowhost.db}, the async queue in
 * {@code requests.db} (its own file, so that its group commits never wait behind a deploy), both SQLite in WAL
 * mode with {@code synchronous=FULL}.
 */
public final class SqliteStateStore implements StateStore {

    private final SqliteDeploymentStore deployments;
    private final SqliteRequestStore requests;
    private final SqliteAlertStateStore alerts;
    private final SqliteLeadership leadership;
    private final LocalCluster cluster = new LocalCluster();

    private SqliteStateStore(
            SqliteDeploymentStore deployments,
            SqliteRequestStore requests,
            SqliteAlertStateStore alerts,
            SqliteLeadership leadership) {
        this.deployments = deployments;
        this.requests = requests;
        this.alerts = alerts;
        this.leadership = leadership;
    }

    /** Opens (creating if needed) the stores under the data dir. */
    public static SqliteStateStore open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data dir " + dataDir + ": " + e.getMessage(), e);
        }
        var main = dataDir.resolve("flowhost.db");
        var deployments = SqliteDeploymentStore.open(main);
        try {
            var alerts = SqliteAlertStateStore.open(main);
            var leadership = SqliteLeadership.open(main);
            try {
                return new SqliteStateStore(
                        deployments, SqliteRequestStore.open(dataDir.resolve("requests.db")), alerts, leadership);
            } catch (RuntimeException e) {
                leadership.close();
                alerts.close();
                throw e;
            }
        } catch (RuntimeException e) {
            deployments.close();
            throw e;
        }
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
    public Leadership leadership() {
        return leadership;
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public void close() {
        leadership.close();
        requests.close();
        alerts.close();
        deployments.close();
    }
}
