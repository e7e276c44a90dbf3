package io.flowhost.server;

import io.flowhost.alerts.AlertEngine;
import io.flowhost.alerts.AlertSettings;
import io.flowhost.alerts.RecordingStats;
import io.flowhost.async.CallbackOrigins;
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
import io.flowhost.domain.state.StateUnavailableException;
import io.flowhost.gateway.HeldBytes;
import io.flowhost.gateway.InstanceForwarder;
import io.flowhost.gateway.RouteTable;
import io.flowhost.gateway.Traffic;
import io.flowhost.gateway.observe.CallObserver;
import io.flowhost.gateway.pipeline.CallHandler;
import io.flowhost.gateway.pipeline.Pipeline;
import io.flowhost.instances.RunningInstance;
import io.flowhost.instances.process.ProcessDriver;
import io.flowhost.instances.process.ProcessSettings;
import io.flowhost.server.api.ManagementApi;
import io.flowhost.server.http.HttpServer;
import io.flowhost.server.observe.LiveState;
import io.flowhost.server.observe.Metrics;
import io.flowhost.server.observe.RequestLog;
import io.flowhost.state.RequestStore;
import io.flowhost.state.StateStore;
import io.flowhost.state.postgres.PostgresStateStore;
import io.flowhost.state.sqlite.SqliteStateStore;
import io.flowhost.wire.netty.Transport;
import io.flowhost.wire.tracing.Tracing;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The flowhost platform on one machine: the gateway and management API on one port, instances as child JVMs,
 * state in SQLite under the data dir, or in PostgreSQL ({@code --state}). Deployments active when it last stopped are
 * started again. This class
 * only wires the parts; each is built and tested on its own.
 */
public final class FlowhostServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.server");
    private static final Duration TICK = Duration.ofSeconds(1);

    private final ServerSettings settings;
    private final StateStore state;
    private final Supervisor supervisor;
    private final Deployments deployments;
    private final ScalingLoop scaling;
    private final Dispatcher dispatcher;
    private final AlertEngine alerts;
    private final RequestLog requestLog;
    private final Tracing tracing;
    private final ManagementApi api;
    private final HttpServer http;
    private final CallHandler calls;
    private volatile LeaderLease lease;
    private volatile ScheduledFuture<?> sweeping;
    private final CallbackOrigins callbackOrigins;
    private final ScheduledExecutorService everySecond = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sweeper").daemon().factory());

    private FlowhostServer(ServerSettings settings, Clock clock) {
        this.settings = settings;
        state = settings.state() == null
                ? SqliteStateStore.open(settings.dataDir())
                : PostgresStateStore.open(settings.state());
        var requests = state.requests();
        var routes = new RouteTable(clock);
        var driver = new ProcessDriver(new ProcessSettings(
                settings.dataDir(), settings.instanceJvmOptions(), settings.maxBody(), settings.metaflow()));
        supervisor = new Supervisor(driver, routing(routes), routes::inFlight, settings.requestTimeout());
        scaling = new ScalingLoop(supervisor, id -> load(routes, requests, id), clock, TICK);
        routes.onWake(scaling::wake);
        deployments = new Deployments(
                state.deployments(),
                driver,
                supervisor,
                settings.dataDir(),
                settings.metaflow(),
                settings.scaling(),
                clock);
        dispatcher = new Dispatcher(requests, routes, settings.requestTimeout(), new Callbacks(clock, TICK), clock);
        // The port is read when a callback is judged, after the server listens: with --port 0 it is not known before.
        callbackOrigins = new CallbackOrigins(settings.callbackOrigins(), this::port);
        var intake = new Intake(requests, callbackOrigins, dispatcher::nudge, clock);

        var metrics = new Metrics();
        requestLog = new RequestLog(settings.dataDir().resolve("logs"), 64L * 1024 * 1024, 5);
        metrics.requestLogDropped(requestLog::dropped);
        var alertSettings =
                settings.alertsFile() == null ? AlertSettings.defaults() : AlertSettings.load(settings.alertsFile());
        var alertStats = RecordingStats.forRules(alertSettings.rules());
        alerts = AlertEngine.start(alertSettings, alertStats, state.alerts());
        observeInstances(metrics, alertStats);
        scaling.onScaled((deployment, from, to) -> metrics.scaled(deployment.service(), from, to));
        var live = new LiveState(deployments, routes, requests, clock);
        metrics.liveState(live::snapshot);
        everySecond.scheduleWithFixedDelay(() -> live.sampleFor(alertStats), 1, 1, TimeUnit.SECONDS);
        tracing = Tracing.fromEnvironment("flowhost-gateway");
        if (tracing.enabled()) {
            metrics.spansDropped(tracing::spansDropped);
        }

        api = new ManagementApi(
                deployments,
                scaling,
                routes,
                requests,
                clock,
                metrics::scrape,
                alerts::toJson,
                () -> state.leadership().leader(clock.instant()));
        var transport = Transport.best();
        var forwarder = new InstanceForwarder(
                transport,
                settings.requestTimeout(),
                tracing,
                new HeldBytes(settings.limits().maxHeldBytes()));
        var observer = observer(settings, metrics, requestLog, alertStats, clock);
        calls = Pipeline.of(routes, forwarder, intake, observer, tracing);
        try {
            http = HttpServer.start(
                    settings.host(),
                    settings.port(),
                    transport,
                    HttpServer.loops(transport, settings.ioThreads()),
                    settings.limits(),
                    calls,
                    api);
        } catch (RuntimeException e) {
            closeParts();
            throw e;
        }
    }

    /** Starts the platform and restores the deployments that were active. */
    public static FlowhostServer start(ServerSettings settings) {
        var clock = Clock.systemUTC();
        var server = new FlowhostServer(settings, clock);
        try {
            server.resume(clock);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Requeues what ran when the server last stopped, restores the deployments, and starts the loops. */
    private void resume(Clock clock) {
        // First of all: nothing below may run twice on one state store (two servers on one data dir or database).
        var host = hostName();
        lease = LeaderLease.take(
                state.leadership(),
                LeaderLease.holderName(host, ProcessHandle.current().pid(), listening()),
                host,
                pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                clock);
        var requests = state.requests();
        int recovered = requests.recoverAfterRestart(clock.instant());
        if (recovered > 0) {
            LOG.log(
                    Level.INFO,
                    recovered + " async requests that were running when the server last stopped are" + " queued again");
        }
        LOG.log(
                Level.INFO,
                "flowhost listening on " + listening() + " (data dir "
                        + settings.dataDir().toAbsolutePath()
                        + (settings.state() == null ? "" : ", state in " + settings.state()) + ")");
        if (!loopbackOnly()) {
            LOG.log(
                    Level.WARNING,
                    "listening on " + settings.host() + ", not loopback: anyone who can reach port "
                            + port() + " can deploy code to this server and undeploy services (flowhost has no tokens"
                            + " yet); keep the default --host 127.0.0.1, or put an authenticating proxy in front");
        }
        for (var own : callbackOrigins.own()) {
            LOG.log(
                    Level.WARNING,
                    "--callback-origin " + own + " is this server's own address; callbacks to it will be refused");
        }
        deployments.restore();
        scaling.start();
        // After the restore: a request requeued above must find its service's route, or it would fail as unknown.
        dispatcher.start(calls, http::nextLoop);
        sweeping = everySecond.scheduleWithFixedDelay(() -> sweep(requests, clock), 1, 1, TimeUnit.SECONDS);
        var renewEvery = LeaderLease.RENEW_EVERY.toMillis();
        everySecond.scheduleWithFixedDelay(this::renewLease, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    }

    /** Every answered call into the metrics, the request log and the alert statistics; or nowhere. */
    private static CallObserver observer(
            ServerSettings settings, Metrics metrics, RequestLog requestLog, RecordingStats alertStats, Clock clock) {
        if (!settings.observeCalls()) {
            return CallObserver.NONE;
        }
        return call -> {
            metrics.call(call);
            requestLog.record(call);
            if (!call.metricService().equals("unknown")) {
                alertStats.call(call.metricService(), call.status(), call.totalNanos(), clock.millis());
            }
        };
    }

    /** Instances started and lost, into the metrics and the alert statistics. */
    private void observeInstances(Metrics metrics, RecordingStats alertStats) {
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
    }

    /** Deploys a service jar, as {@code POST /v1/deployments} does. */
    public Deployment deploy(
            byte[] jar, String className, Map<String, String> serviceSettings, Map<String, String> scalingSettings)
            throws DeploymentFailedException, InvalidSettingsException {
        return deployments.deploy(jar, className, serviceSettings, scalingSettings);
    }

    /** The port the gateway listens on. */
    public int port() {
        return http.port();
    }

    /** Where to call the server from this machine, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        var host = settings.host().equals("0.0.0.0") || settings.host().equals("::") ? "127.0.0.1" : settings.host();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** Where the server listens, as it is: {@code http://0.0.0.0:8080 (every interface)} when it is that. */
    public String listening() {
        var host = settings.host();
        var every = host.equals("0.0.0.0") || host.equals("::");
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port()
                + (every ? " (every interface)" : "");
    }

    /** Whether only this machine can reach the server: it listens on loopback. */
    public boolean loopbackOnly() {
        return HttpServer.isLoopback(settings.host());
    }

    /** Stops taking calls, stops every instance (letting their calls finish) and closes the state store. */
    @Override
    public void close() {
        closeParts();
    }

    /** Closes every part, the HTTP server first (when it is up), so that no call arrives at a closed part. */
    /**
     * Keeps the lease; once another server has taken it (this one was paused or cut off past its lease), stops this
     * one's control loops, so that they do not run twice: calls already routed to its instances are still answered.
     */
    private void renewLease() {
        if (lease.renew()) {
            return;
        }
        LOG.log(
                Level.ERROR,
                "this server (" + lease.holder() + ") lost the lead of its state to "
                        + lease.leader().orElse("another server")
                        + ": stopping its autoscaler, async dispatcher and sweeps; restart it to serve again");
        sweeping.cancel(false);
        dispatcher.close();
        scaling.close();
        throw new CancellationException("not the leader any more"); // ends the renewals
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private void closeParts() {
        everySecond.shutdownNow();
        if (lease != null) {
            lease.release();
        }
        alerts.close();
        dispatcher.close();
        scaling.close();
        if (http != null) {
            http.close();
        }
        supervisor.close();
        api.close();
        state.close();
        requestLog.close();
        tracing.close();
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

    /** Takes back leases that lapsed (their runner died or hung), and expires and deletes old async requests. */
    private void sweep(RequestStore requests, Clock clock) {
        try {
            var now = clock.instant();
            if (requests.reclaimExpiredLeases(now) > 0) {
                dispatcher.nudge();
            }
            requests.sweep(now);
        } catch (StateUnavailableException e) {
            // the dispatcher says so once per outage; the sweep simply tries again in a second
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "sweeping async requests failed; trying again in a second", e);
        }
    }
}
