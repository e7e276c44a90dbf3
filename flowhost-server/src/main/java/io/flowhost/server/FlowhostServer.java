package io.flowhost.server;

import io.flowhost.server.alerts.AlertEngine;
import io.flowhost.server.alerts.AlertSettings;
import io.flowhost.server.alerts.RecordingStats;
import io.flowhost.server.api.ManagementApi;
import java.time.Instant;
import io.flowhost.server.gateway.CallObserver;
import io.flowhost.server.instances.RunningInstance;
import io.flowhost.server.observe.InstanceUsage;
import io.flowhost.server.observe.Metrics;
import io.flowhost.server.observe.RequestLog;
import io.flowhost.server.async.CallbackHosts;
import io.flowhost.server.async.Callbacks;
import io.flowhost.server.async.Dispatcher;
import io.flowhost.server.async.Intake;
import io.flowhost.server.queue.RequestStore;
import java.util.concurrent.atomic.AtomicReference;
import io.flowhost.server.gateway.Gateway;
import io.flowhost.server.gateway.RouteTable;
import io.flowhost.server.instances.ProcessDriver;
import io.flowhost.server.instances.Supervisor;
import io.flowhost.server.registry.Deployment;
import io.flowhost.server.registry.DeploymentFailedException;
import io.flowhost.server.registry.DeploymentStore;
import io.flowhost.server.registry.Deployments;
import io.flowhost.server.registry.InvalidSettingsException;
import io.flowhost.server.scaling.ScalingLoop;
import io.flowhost.server.scaling.ScalingSettings;
import java.time.Duration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;

/**
 * The flowhost platform on one machine: the gateway and management API on one port, instances as
 * child JVMs, deployments in SQLite under the data dir. Deployments active when it last stopped
 * are started again.
 */
public final class FlowhostServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.server");

    private final ServerSettings settings;
    private final DeploymentStore store;
    private final Supervisor supervisor;
    private final Deployments deployments;
    private final ManagementApi api;
    private final Gateway gateway;
    private final ScalingLoop scaling;
    private final RequestStore requests;
    private final Dispatcher dispatcher;
    private final RequestLog requestLog;
    private io.flowhost.runtime.tracing.Tracing tracing = io.flowhost.runtime.tracing.Tracing.off();
    private final AlertEngine alerts;
    private final java.util.concurrent.ScheduledExecutorService sweeper =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sweeper").daemon().factory());

    private FlowhostServer(ServerSettings settings, DeploymentStore store, Supervisor supervisor,
                           Deployments deployments, ManagementApi api, Gateway gateway, ScalingLoop scaling,
                           RequestStore requests, Dispatcher dispatcher, RequestLog requestLog, AlertEngine alerts) {
        this.requestLog = requestLog;
        this.alerts = alerts;
        this.scaling = scaling;
        this.requests = requests;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.store = store;
        this.supervisor = supervisor;
        this.deployments = deployments;
        this.api = api;
        this.gateway = gateway;
    }

    /** Starts the platform and restores the deployments that were active. */
    public static FlowhostServer start(ServerSettings settings) {
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data dir " + settings.dataDir(), e);
        }
        var store = DeploymentStore.open(settings.dataDir().resolve("flowhost.db"));
        var clock = Clock.systemUTC();
        var routes = new RouteTable(clock);
        var driver = new ProcessDriver(settings);
        var supervisor = new Supervisor(driver, routes, routes::inFlight, settings.requestTimeout());
        var scaling = new ScalingLoop(supervisor, routes, clock, Duration.ofSeconds(1));
        var scalingDefaults = ScalingSettings.defaults().with(Map.of("startup-timeout",
                settings.startupTimeout().toMillis() + "ms"));
        var deployments = new Deployments(store, driver, supervisor, settings.dataDir(), settings.metaflow(),
                scalingDefaults, clock);
        var requests = RequestStore.open(settings.dataDir().resolve("requests.db"));
        var recovered = requests.recoverAfterRestart(clock.instant());
        var gatewayUri = new AtomicReference<URI>();
        var dispatcher = new Dispatcher(requests, routes, gatewayUri::get, settings.requestTimeout(),
                new Callbacks(clock, Duration.ofSeconds(1)), clock);
        var intake = new Intake(requests, new CallbackHosts(settings.callbackHosts()), dispatcher::nudge, clock);
        var metrics = new Metrics();
        var requestLog = new RequestLog(settings.dataDir().resolve("logs"), 64L * 1024 * 1024, 5);
        metrics.requestLogDropped(requestLog::dropped);
        var alertSettings = settings.alertsFile() == null ? AlertSettings.defaults() : AlertSettings.load(settings.alertsFile());
        var alertStats = RecordingStats.forRules(alertSettings.rules());
        var alerts = AlertEngine.start(alertSettings, alertStats);
        var api = new ManagementApi(deployments, scaling, routes, requests, clock, metrics::scrape, alerts::toJson);
        CallObserver observer = !settings.observeCalls() ? CallObserver.NONE : call -> {
            metrics.call(call);
            requestLog.record(call);
            if (!call.metricService().equals("unknown")) {
                alertStats.call(call.metricService(), call.status(), call.totalNanos(), clock.millis());
            }
        };
        supervisor.observe(new Supervisor.Events() {
            @Override
            public void started(Deployment deployment, RunningInstance instance) {
                metrics.coldStart(deployment.service(), instance.coldStart());
                alertStats.coldStart(deployment.service(), Instant.now());
            }

            @Override
            public void crashed(Deployment deployment, RunningInstance instance) {
                metrics.crash(deployment.service());
                alertStats.crash(deployment.service(), Instant.now());
            }
        });
        scaling.onScaled((deployment, from, to) -> metrics.scaled(deployment.service(), from, to));
        var usage = new InstanceUsage();
        metrics.liveState(() -> snapshot(deployments, supervisor, routes, requests, usage, clock));
        var tracing = io.flowhost.runtime.tracing.Tracing.fromEnvironment("flowhost-gateway");
        if (tracing.enabled()) {
            metrics.spansDropped(tracing::spansDropped);
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(settings, routes, api, intake, observer, tracing);
        } catch (RuntimeException e) {
            tracing.close();
            supervisor.close();
            requests.close();
            store.close();
            throw e;
        }
        var server = new FlowhostServer(settings, store, supervisor, deployments, api, gateway, scaling, requests,
                dispatcher, requestLog, alerts);
        server.tracing = tracing;
        gatewayUri.set(URI.create("http://127.0.0.1:" + gateway.port()));
        if (recovered > 0) {
            LOG.log(System.Logger.Level.INFO, recovered + " async requests that were running when the server last "
                    + "stopped are queued again");
        }
        LOG.log(System.Logger.Level.INFO, "flowhost listening on " + server.uri() + " (data dir "
                + settings.dataDir().toAbsolutePath() + ")");
        deployments.restore();
        scaling.queueDepth(requests::queued);
        scaling.start();
        dispatcher.start();
        server.sweeper.scheduleWithFixedDelay(() -> server.sweep(clock), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        server.sweeper.scheduleWithFixedDelay(() -> gaugesForAlerts(deployments, routes, requests, alertStats, clock),
                1, 1, java.util.concurrent.TimeUnit.SECONDS);
        return server;
    }

    /** Deploys a service jar, as {@code POST /v1/deployments} does. */
    public Deployment deploy(byte[] jar, String className, Map<String, String> serviceSettings,
                             Map<String, String> scalingSettings)
            throws DeploymentFailedException, InvalidSettingsException {
        return deployments.deploy(jar, className, serviceSettings, scalingSettings);
    }

    /** The port the gateway listens on. */
    public int port() {
        return gateway.port();
    }

    /** The gateway's base URI, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        var host = settings.host().equals("0.0.0.0") ? "127.0.0.1" : settings.host();
        return URI.create("http://" + host + ":" + port());
    }

    /** Stops taking calls, stops every instance (letting their calls finish) and closes the store. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        alerts.close();
        dispatcher.close();
        scaling.close();
        gateway.close();
        supervisor.close();
        api.close();
        requests.close();
        requestLog.close();
        tracing.close();
        store.close();
    }

    /** Held calls and the oldest queued request of each service, for the alert rules on them. */
    private static void gaugesForAlerts(Deployments deployments, RouteTable routes, RequestStore requests,
                                        RecordingStats stats, Clock clock) {
        try {
            var now = clock.instant();
            for (var d : deployments.active()) {
                stats.held(d.service(), routes.traffic(d.id()).map(t -> t.held()).orElse(0), now);
                stats.queued(d.service(), requests.oldestQueued(d.id()).map(at -> Duration.between(at, now)).orElse(null), now);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "sampling gauges for alerts failed: " + e);
        }
    }

    /** What the gauges show: each active deployment's load and instances, each instance's use of the machine. */
    private static Metrics.Snapshot snapshot(Deployments deployments, Supervisor supervisor, RouteTable routes,
                                             RequestStore requests, InstanceUsage usage, Clock clock) {
        var now = clock.instant();
        var instances = supervisor.instances();
        var services = new java.util.ArrayList<Metrics.ServiceLoad>();
        var uses = new java.util.ArrayList<Metrics.InstanceUse>();
        for (var d : deployments.active()) {
            var traffic = routes.traffic(d.id());
            var byState = new java.util.TreeMap<String, Integer>();
            for (var state : io.flowhost.server.instances.InstanceState.values()) {
                if (state != io.flowhost.server.instances.InstanceState.STOPPED) {
                    byState.put(state.name().toLowerCase(java.util.Locale.ROOT), 0);
                }
            }
            for (var i : instances) {
                if (i.deploymentId().equals(d.id())) {
                    byState.merge(i.state().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
                    if (i.pid() > 0) {
                        var parts = i.address().split(":");
                        var health = usage.health(new java.net.InetSocketAddress(parts[0], Integer.parseInt(parts[1])));
                        uses.add(new Metrics.InstanceUse(d.service(), i.id(), usage.cpuSeconds(i.pid()),
                                usage.rssBytes(i.pid()), health.heapUsedBytes(), health.predictionsLogged(),
                                health.predictionsDropped(), health.predictionLogErrors(), health.spansDropped()));
                    }
                }
            }
            double oldest = requests.oldestQueued(d.id())
                    .map(at -> Math.max(0, Duration.between(at, now).toMillis() / 1000.0)).orElse(0.0);
            services.add(new Metrics.ServiceLoad(d.service(), traffic.map(t -> t.inFlight()).orElse(0),
                    traffic.map(t -> t.held()).orElse(0), byState, requests.queued(d.id()), oldest));
        }
        return new Metrics.Snapshot(services, uses);
    }

    /** Takes back leases that lapsed (their runner died or hung) and expires and deletes old async requests. */
    private void sweep(Clock clock) {
        try {
            var now = clock.instant();
            if (requests.reclaimExpiredLeases(now) > 0) {
                dispatcher.nudge();
            }
            requests.sweep(now);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "sweeping async requests failed; trying again in a second", e);
        }
    }
}
