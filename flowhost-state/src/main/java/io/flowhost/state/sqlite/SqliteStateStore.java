package io.flowhost.state.sqlite;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The embedded state store: deployments and alert states in {@code flowhost.db}, the async queue in
 * {@code requests.db} (its own file, so that its group commits never wait behind a deploy), both SQLite in WAL
 * mode, every acknowledged change flushed to disk ({@code synchronous=FULL}, or the requests' own flush thread).
 */
public final class SqliteStateStore implements StateStore {

    private final SqliteDeploymentStore deployments;
    private final SqliteRequestStore requests;
    private final SqliteAlertStateStore alerts;
    private final SqliteTokenStore tokens;
    private final SqliteAuditStore audit;
    private final SqliteTableStore tables;
    private final SqliteLeadership leadership;
    private final LocalCluster cluster = new LocalCluster();

    private SqliteStateStore(
            SqliteDeploymentStore deployments,
            SqliteRequestStore requests,
            SqliteAlertStateStore alerts,
            SqliteTokenStore tokens,
            SqliteAuditStore audit,
            SqliteTableStore tables,
            SqliteLeadership leadership) {
        this.deployments = deployments;
        this.requests = requests;
        this.alerts = alerts;
        this.tokens = tokens;
        this.audit = audit;
        this.tables = tables;
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
        var opened = new ArrayList<AutoCloseable>(); // closed again if a later one cannot be opened
        try {
            var deployments = keep(opened, SqliteDeploymentStore.open(main));
            var alerts = keep(opened, SqliteAlertStateStore.open(main));
            var tokens = keep(opened, SqliteTokenStore.open(main));
            var audit = keep(opened, SqliteAuditStore.open(main));
            var tables = keep(opened, SqliteTableStore.open(main));
            var leadership = keep(opened, SqliteLeadership.open(main));
            var requests = SqliteRequestStore.open(dataDir.resolve("requests.db"));
            return new SqliteStateStore(deployments, requests, alerts, tokens, audit, tables, leadership);
        } catch (RuntimeException e) {
            for (var store : opened.reversed()) {
                try {
                    store.close();
                } catch (Exception ignored) {
                    // the first failure is the one worth reporting
                }
            }
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

    /**
     * Does {@code work} with the tokens under {@code dataDir} alone, beside a server that may be running on it (SQLite
     * lets two processes share the file): how the first token of a server beyond loopback is made.
     */
    public static <T> T withTokens(Path dataDir, Function<TokenStore, T> work) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StoreException("cannot create the data dir " + dataDir + ": " + e.getMessage(), e);
        }
        try (var tokens = SqliteTokenStore.open(dataDir.resolve("flowhost.db"))) {
            return work.apply(tokens);
        }
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> opened, T store) {
        opened.add(store);
        return store;
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
        tokens.close();
        audit.close();
        tables.close();
        deployments.close();
    }
}
