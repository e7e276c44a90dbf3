package io.flowhost.server;

import io.flowhost.alerts.AlertEngine;
import io.flowhost.alerts.AlertSettings;
import io.flowhost.alerts.RecordingStats;
import io.flowhost.async.CallbackHosts;
import io.flowhost.async.Callbacks;
import io.flowhost.async.Dispatcher;
import io.flowhost.async.Intake;
import io.flowhost.control.deploy.Deployments;
import io.flowhost.control.scaling.ScalingLoop;
import io.flowhost.control.supervise.Supervisor;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.DeploymentFailedException;
import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.domain.instance.InstanceState;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.gateway.InstanceForwarder;
import io.flowhost.gateway.RouteTable;
import io.flowhost.gateway.Traffic;
import io.flowhost.gateway.observe.CallObserver;
import io.flowhost.gateway.pipeline.Pipeline;
import io.flowhost.instances.RunningInstance;
import io.flowhost.instances.process.ProcessDriver;
import io.flowhost.instances.process.ProcessSettings;
import io.flowhost.server.api.ManagementApi;
import io.flowhost.server.http.HttpServer;
import io.flowhost.server.observe.InstanceUsage;
import io.flowhost.server.observe.Metrics;
import io.flowhost.server.observe.RequestLog;
import io.flowhost.state.sqlite.DeploymentStore;
import io.flowhost.state.sqlite.RequestStore;
import io.flowhost.wire.netty.Transport;
import io.flowhost.wire.tracing.Tracing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
    private final HttpServer gateway;
    private final ScalingLoop scaling;
    private final RequestStore requests;
    private final Dispatcher dispatcher;
    private final RequestLog requestLog;
    private Tracing tracing = Tracing.off();
    private final AlertEngine alerts;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sweeper").daemon().factory());

    private FlowhostServer(
            ServerSettings settings,
            DeploymentStore store,
            Supervisor supervisor,
            Deployments deployments,
            ManagementApi api,
            HttpServer gateway,
            ScalingLoop scaling,
            RequestStore requests,
            Dispatcher dispatcher,
            RequestLog requestLog,
            AlertEngine alerts) {
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
        var driver = new ProcessDriver(new ProcessSettings(
                settings.dataDir(), settings.instanceJvmOptions(), settings.maxBody(), settings.metaflow()));
        var supervisor = new Supervisor(driver, routing(routes), routes::inFlight, settings.requestTimeout());
        var scalingDefaults = ScalingSettings.defaults()
                .with(Map.of("startup-timeout", settings.startupTimeout().toMillis() + "ms"));
        var deployments = new Deployments(
                store, driver, supervisor, settings.dataDir(), settings.metaflow(), scalingDefaults, clock);
        var requests = RequestStore.open(settings.dataDir().resolve("requests.db"));
        var scaling = new ScalingLoop(supervisor, id -> load(routes, requests, id), clock, Duration.ofSeconds(1));
        routes.onWake(scaling::wake);
        var recovered = requests.recoverAfterRestart(clock.instant());
        var dispatcher = new Dispatcher(
                requests, routes, settings.requestTimeout(), new Callbacks(clock, Duration.ofSeconds(1)), clock);
        var intake = new Intake(requests, new CallbackHosts(settings.callbackHosts()), dispatcher::nudge, clock);
        var metrics = new Metrics();
        var requestLog = new RequestLog(settings.dataDir().resolve("logs"), 64L * 1024 * 1024, 5);
        metrics.requestLogDropped(requestLog::dropped);
        var alertSettings =
                settings.alertsFile() == null ? AlertSettings.defaults() : AlertSettings.load(settings.alertsFile());
        var alertStats = RecordingStats.forRules(alertSettings.rules());
        var alerts = AlertEngine.start(alertSettings, alertStats);
        var api = new ManagementApi(deployments, scaling, routes, requests, clock, metrics::scrape, alerts::toJson);
        CallObserver observer = !settings.observeCalls()
                ? CallObserver.NONE
                : call -> {
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
        var tracing = Tracing.fromEnvironment("flowhost-gateway");
        if (tracing.enabled()) {
            metrics.spansDropped(tracing::spansDropped);
        }
        var transport = Transport.best();
        var forwarder = new InstanceForwarder(transport, settings.requestTimeout(), tracing);
        var calls = Pipeline.of(routes, forwarder, intake, observer, tracing);
        HttpServer gateway;
        try {
            gateway = HttpServer.start(
                    settings.host(),
                    settings.port(),
                    transport,
                    HttpServer.loops(transport, settings.ioThreads()),
                    settings.maxBody(),
                    settings.maxJar(),
                    calls,
                    api);
        } catch (RuntimeException e) {
            tracing.close();
            supervisor.close();
            requests.close();
            store.close();
            throw e;
        }
        var server = new FlowhostServer(
                settings,
                store,
                supervisor,
                deployments,
                api,
                gateway,
                scaling,
                requests,
                dispatcher,
                requestLog,
                alerts);
        server.tracing = tracing;
        if (recovered > 0) {
            LOG.log(
                    System.Logger.Level.INFO,
                    recovered + " async requests that were running when the server last " + "stopped are queued again");
        }
        LOG.log(
                System.Logger.Level.INFO,
                "flowhost listening on " + server.uri() + " (data dir "
                        + settings.dataDir().toAbsolutePath() + ")");
        deployments.restore();
        scaling.start();
        dispatcher.start(calls, gateway::nextLoop);
        server.sweeper.scheduleWithFixedDelay(() -> server.sweep(clock), 1, 1, TimeUnit.SECONDS);
        server.sweeper.scheduleWithFixedDelay(
                () -> gaugesForAlerts(deployments, routes, requests, alertStats, clock), 1, 1, TimeUnit.SECONDS);
        return server;
    }

    /** Deploys a service jar, as {@code POST /v1/deployments} does. */
    public Deployment deploy(
            byte[] jar, String className, Map<String, String> serviceSettings, Map<String, String> scalingSettings)
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

    /** The gateway's routes, kept up to date with the supervisor's ready instances. */
    private static Supervisor.Listener routing(RouteTable routes) {
        return new Supervisor.Listener() {
            @Override
            public void readyChanged(Deployment deployment, List<RunningInstance> ready) {
                routes.readyChanged(
                        deployment,
                        ready.stream()
                                .map(i -> new InstanceAddress(i.id(), i.address()))
                                .toList());
            }

            @Override
            public void retired(Deployment deployment) {
                routes.retired(deployment);
            }
        };
    }

    /**
     * A deployment's load for the autoscaler: the gateway's calls in flight and held, and its queued async
     * requests, which are demand too (a deployment at zero with a backlog wakes, one with a long backlog grows).
     */
    private static ScalingLoop.Load load(RouteTable routes, RequestStore requests, String deploymentId) {
        var traffic = routes.traffic(deploymentId);
        return new ScalingLoop.Load(
                traffic.map(Traffic::inFlight).orElse(0),
                traffic.map(Traffic::held).orElse(0) + requests.queued(deploymentId),
                traffic.map(Traffic::lastArrival).orElse(null));
    }

    /** Held calls and the oldest queued request of each service, for the alert rules on them. */
    private static void gaugesForAlerts(
            Deployments deployments, RouteTable routes, RequestStore requests, RecordingStats stats, Clock clock) {
        try {
            var now = clock.instant();
            for (var d : deployments.active()) {
                stats.held(
                        d.service(), routes.traffic(d.id()).map(t -> t.held()).orElse(0), now);
                stats.queued(
                        d.service(),
                        requests.oldestQueued(d.id())
                                .map(at -> Duration.between(at, now))
                                .orElse(null),
                        now);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "sampling gauges for alerts failed: " + e);
        }
    }

    /** What the gauges show: each active deployment's load and instances, each instance's use of the machine. */
    private static Metrics.Snapshot snapshot(
            Deployments deployments,
            Supervisor supervisor,
            RouteTable routes,
            RequestStore requests,
            InstanceUsage usage,
            Clock clock) {
        var now = clock.instant();
        var instances = supervisor.instances();
        var services = new ArrayList<Metrics.ServiceLoad>();
        var uses = new ArrayList<Metrics.InstanceUse>();
        for (var d : deployments.active()) {
            var traffic = routes.traffic(d.id());
            var byState = new TreeMap<String, Integer>();
            for (var state : InstanceState.values()) {
                if (state != InstanceState.STOPPED) {
                    byState.put(state.name().toLowerCase(Locale.ROOT), 0);
                }
            }
            for (var i : instances) {
                if (i.deploymentId().equals(d.id())) {
                    byState.merge(i.state().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
                    if (i.pid() > 0) {
                        var parts = i.address().split(":");
                        var health = usage.health(new InetSocketAddress(parts[0], Integer.parseInt(parts[1])));
                        uses.add(new Metrics.InstanceUse(
                                d.service(),
                                i.id(),
                                usage.cpuSeconds(i.pid()),
                                usage.rssBytes(i.pid()),
                                health.heapUsedBytes(),
                                health.predictionsLogged(),
                                health.predictionsDropped(),
                                health.predictionLogErrors(),
                                health.spansDropped()));
                    }
                }
            }
            double oldest = requests.oldestQueued(d.id())
                    .map(at -> Math.max(0, Duration.between(at, now).toMillis() / 1000.0))
                    .orElse(0.0);
            services.add(new Metrics.ServiceLoad(
                    d.service(),
                    traffic.map(t -> t.inFlight()).orElse(0),
                    traffic.map(t -> t.held()).orElse(0),
                    byState,
                    requests.queued(d.id()),
                    oldest));
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
