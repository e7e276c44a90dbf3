package io.flowhost.server;

import io.flowhost.alerts.AlertEngine;
import io.flowhost.alerts.AlertSettings;
import io.flowhost.alerts.RecordingStats;
import io.flowhost.async.CallbackOrigins;
import io.flowhost.async.Callbacks;
import io.flowhost.async.Dispatcher;
import io.flowhost.async.Intake;
import io.flowhost.control.deploy.ArtifactRoots;
import io.flowhost.control.deploy.DeploymentTokens;
import io.flowhost.control.deploy.Deployments;
import io.flowhost.control.rollout.Rollouts;
import io.flowhost.control.scaling.ScalingLoop;
import io.flowhost.control.supervise.Supervisor;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.DeploymentFailedException;
import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.domain.instance.InstanceInfo;
import io.flowhost.domain.service.BreakingChangeException;
import io.flowhost.domain.state.StateUnavailableException;
import io.flowhost.gateway.HeldBytes;
import io.flowhost.gateway.InstanceForwarder;
import io.flowhost.gateway.RouteTable;
import io.flowhost.gateway.observe.CallObserver;
import io.flowhost.gateway.pipeline.CallHandler;
import io.flowhost.gateway.pipeline.Pipeline;
import io.flowhost.gateway.shadow.ShadowObserver;
import io.flowhost.gateway.shadow.ShadowPair;
import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.RunningInstance;
import io.flowhost.instances.process.ProcessDriver;
import io.flowhost.instances.process.ProcessSettings;
import io.flowhost.kubernetes.KubernetesDriver;
import io.flowhost.kubernetes.KubernetesSettings;
import io.flowhost.server.access.AccessRules;
import io.flowhost.server.access.CallAdmission;
import io.flowhost.server.access.Guard;
import io.flowhost.server.access.OidcIssuer;
import io.flowhost.server.access.Quotas;
import io.flowhost.server.api.ManagementApi;
import io.flowhost.server.api.RolloutsApi;
import io.flowhost.server.api.TablesApi;
import io.flowhost.server.api.ToLeader;
import io.flowhost.server.audit.AuditTrail;
import io.flowhost.server.cluster.GatewayLink;
import io.flowhost.server.cluster.InstancePublisher;
import io.flowhost.server.cluster.RouteSync;
import io.flowhost.server.http.HttpServer;
import io.flowhost.server.observe.ColdStarts;
import io.flowhost.server.observe.History;
import io.flowhost.server.observe.HistorySampler;
import io.flowhost.server.observe.LiveState;
import io.flowhost.server.observe.Metrics;
import io.flowhost.server.observe.RequestLog;
import io.flowhost.server.observe.ShadowLog;
import io.flowhost.server.observe.VersionWindows;
import io.flowhost.server.tls.ReloadingTls;
import io.flowhost.state.Cluster;
import io.flowhost.state.Leadership.Term;
import io.flowhost.state.RequestStore;
import io.flowhost.state.StateStore;
import io.flowhost.state.postgres.PostgresStateStore;
import io.flowhost.state.sqlite.SqliteStateStore;
import io.flowhost.tables.Tables;
import io.flowhost.wire.netty.SpooledUploads;
import io.flowhost.wire.netty.Transport;
import io.flowhost.wire.tracing.Tracing;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The flowhost platform on one machine: the gateway and management API on one port, instances as child JVMs,
 * state in SQLite under the data dir, or in PostgreSQL ({@code --state}). Deployments active when it last stopped are
 * started again. This class
 * only wires the parts; each is built and tested on its own.
 */
public final class FlowhostServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.server");
    private static final Duration TICK = Duration.ofSeconds(1);
    /**
     * How long a finished request's callback is left to the dispatcher before the leader sends it as owed: the
     * dispatcher hands a run's own callback over within milliseconds of its result's commit, and a look for owed
     * callbacks inside that gap would start a second one that could arrive before the dispatcher's.
     */
    private static final Duration CALLBACK_HANDOVER = Duration.ofSeconds(2);
    /** Rows a {@link RequestStore#sweep} touches from which it asks to be called again: its batch came back full. */
    private static final int SWEEP_AGAIN_FROM = 1000;
    /** How long one sweep tick goes on through full batches: a backlog drains fast, and the store is not held long. */
    private static final Duration SWEEP_BUDGET = Duration.ofMillis(200);
    /** RocksDB's block cache for every table's open versions: their hot blocks, bounded whatever their size. */
    private static final long TABLE_CACHE_BYTES = 64L * 1024 * 1024;

    /** The port an instance listens on in its pod. */
    private static final int KUBERNETES_INSTANCE_PORT = 8080;

    private final ServerSettings settings;
    private final StateStore state;
    private final Supervisor supervisor;
    private final Deployments deployments;
    private final ScalingLoop scaling;
    private final Dispatcher dispatcher;
    private final Callbacks callbacks;
    private volatile AlertEngine alerts;
    private final AlertSettings alertSettings;
    private final RecordingStats alertStats;
    // Each deployment's calls by its id, for rollouts to judge a canary against its primary and show them.
    private final RecordingStats versionStats = new RecordingStats(Duration.ofMinutes(5));
    /** The last hour of each deployment, for charts (GET /v1/history/{deployment}). */
    private final History history;
    /** Each deployment's last instance starts, part by part, for the dashboard. */
    private final ColdStarts coldStarts = new ColdStarts();

    private final Rollouts rollouts;
    private final ShadowLog shadowLog;
    private final RouteTable routes;
    private final DeploymentTokens tokens;
    private final GatewayLink link;
    private final InstancePublisher publisher;
    private volatile RouteSync following;
    /** A deposed leader's instances stopping, which a new lead waits for before it supervises any again. */
    private volatile Thread retiring;

    private final InstanceDriver driver;
    private final ProcessDriver processes;
    private volatile boolean leads;
    private volatile boolean ready;
    private String name;
    private final RequestLog requestLog;
    private final Tracing tracing;
    private final ManagementApi api;
    private final HttpServer http;
    private final Transport transport = Transport.best();
    private final CallHandler calls;
    private final CallAdmission admission;
    private final AuditTrail auditTrail;
    private final OidcIssuer oidc;
    private volatile LeaderLease lease;
    private volatile ScheduledFuture<?> sweeping;
    private volatile ScheduledFuture<?> stepping;
    /** Deployments this leader could not restore yet, tried again every second until none is left. */
    private volatile List<String> unrestored = List.of();

    private volatile ScheduledFuture<?> restoring;
    private final CallbackOrigins callbackOrigins;
    private final ScheduledExecutorService everySecond = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("sweeper").daemon().factory());
    /** The tables' own thread: building a copy of a large table takes a while, and must hold up nothing else. */
    private final ScheduledExecutorService tableSync = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("table-sync").daemon().factory());

    private final Tables tables;

    private FlowhostServer(ServerSettings settings, Clock clock, ReloadingTls tls) {
        this.settings = settings;
        // First, as a setting: a JWKS file that cannot be read stops the server before it opens anything.
        oidc = settings.oidc() == null ? null : OidcIssuer.open(settings.oidc(), clock);
        state = settings.state() == null
                ? SqliteStateStore.open(settings.dataDir())
                : PostgresStateStore.open(settings.state());
        var requests = state.requests();
        routes = new RouteTable(clock);
        link = new GatewayLink(state.cluster(), this::advertised, routes, clock);
        publisher =
                new InstancePublisher(state.cluster(), link, () -> lease.term().number());
        processes = new ProcessDriver(instanceSettings(settings));
        tokens = new DeploymentTokens(state.cluster()::signingKey);
        driver = settings.kubernetes() == null ? processes : pods(settings, processes, tokens);
        // Pods are seen by every gateway: a follower routes as soon as it sees one change, not at its next read.
        driver.discovery()
                .ifPresent(d -> d.onChange(() -> everySecond.execute(() -> {
                    var sync = following;
                    if (sync != null) {
                        syncRoutes(sync);
                    }
                })));
        supervisor = new Supervisor(
                driver,
                routing(routes, publisher, () -> following == null),
                routes::inFlight,
                settings.requestTimeout(),
                othersLetGo(settings));
        scaling = new ScalingLoop(supervisor, id -> load(routes, requests, link, id), clock, TICK);
        // A call held for want of an instance: the leader decides at once; a follower tells the leader.
        routes.onWake(id -> {
            if (leads) {
                scaling.wake(id);
            } else {
                link.wake(id);
            }
        });
        state.cluster().listen(new Cluster.Listener() {
            @Override
            public void changed() {
                var sync = following;
                if (sync != null) {
                    ready = syncRoutes(sync); // before start returns: a started gateway routes what is deployed
                }
            }

            @Override
            public void wake(String deploymentId) {
                if (leads) {
                    link.forgetOthers();
                    scaling.wake(deploymentId);
                }
            }
        });
        deployments = new Deployments(
                state.deployments(),
                state.cluster(),
                driver,
                supervisor,
                settings.dataDir(),
                settings.metaflow(),
                ArtifactRoots.of(settings.artifactRoots()),
                settings.scaling(),
                settings.retiredJarsKept(),
                clock);
        // The port is read when a callback is judged, after the server listens: with --port 0 it is not known before.
        callbackOrigins = new CallbackOrigins(settings.callbackOrigins(), this::port);
        callbacks = new Callbacks(requests, clock, TICK, callbackOrigins);
        dispatcher = new Dispatcher(requests, routes, settings.requestTimeout(), callbacks, clock);
        var intake = new Intake(requests, callbackOrigins, dispatcher::nudge, clock);

        history = new History(settings.historyEvery());
        var metrics = new Metrics();
        requestLog = new RequestLog(settings.dataDir().resolve("logs"), 64L * 1024 * 1024, 5);
        metrics.requestLogDropped(requestLog::dropped);
        requestLog.explainColdStartsBy(instanceId -> supervisor.instances().stream()
                .filter(i -> i.id().equals(instanceId))
                .findFirst()
                .map(InstanceInfo::breakdown)
                .orElse(null));
        alertSettings =
                settings.alertsFile() == null ? AlertSettings.defaults() : AlertSettings.load(settings.alertsFile());
        alertStats = RecordingStats.forRules(alertSettings.rules());
        observeInstances(metrics, alertStats);
        scaling.onScaled((deployment, from, to) -> metrics.scaled(deployment.service(), from, to));
        var live = new LiveState(deployments, routes, requests, clock);
        metrics.liveState(live::snapshot);
        everySecond.scheduleWithFixedDelay(() -> live.sampleFor(alertStats), 1, 1, TimeUnit.SECONDS);
        var sampler = new HistorySampler(history, versionStats, routes, requests::queued, dispatcher::running, clock);
        var every = history.every().toMillis();
        everySecond.scheduleWithFixedDelay(
                () -> {
                    try {
                        sampler.run();
                        coldStarts.retain(
                                deployments.all().stream().map(Deployment::id).toList());
                    } catch (RuntimeException e) {
                        // the state store away (its queue counts): a gap in the charts, and sampling goes on (a
                        // scheduled task that throws is never run again)
                        LOG.log(Level.WARNING, "sampling the dashboard's history failed; trying again: " + e);
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
        tracing = Tracing.fromEnvironment("flowhost-gateway");
        if (tracing.enabled()) {
            metrics.spansDropped(tracing::spansDropped);
        }

        auditTrail = new AuditTrail(settings.dataDir().resolve("logs"), state.audit(), clock);
        tables = new Tables(
                settings.dataDir().resolve("tables"),
                state.tables(),
                settings.metaflow(),
                this::advertised,
                TABLE_CACHE_BYTES,
                clock);
        shadowLog = new ShadowLog(settings.dataDir().resolve("predictions"), versionStats);
        rollouts = new Rollouts(deployments, new VersionWindows(versionStats, () -> alerts), auditTrail::record, clock);
        metrics.auditDropped(auditTrail::dropped);
        // No tokens, no guard: on loopback (one machine, one user), or beyond it when asked (--insecure). An OIDC
        // issuer's tokens are tokens: with one, the guard always asks.
        var guard = new Guard(
                state.tokens(),
                HttpServer.isLoopback(settings.host()) || settings.insecure(),
                clock,
                new Quotas(System::nanoTime, metrics.quotaCounts()),
                auditTrail::record,
                oidc);
        admission = guard.calls();
        api = new ManagementApi(
                deployments,
                scaling,
                routes,
                requests,
                clock,
                metrics::scrape,
                () -> alerts.toJson(),
                () -> state.leadership().leader(clock.instant()),
                new ToLeader(() -> leads, this::leaderAddress, () -> {
                    var sync = following;
                    if (sync != null) {
                        syncRoutes(sync);
                    }
                }),
                () -> ready,
                tokens,
                guard,
                new AccessRules(settings.openMetrics()),
                state.tokens(),
                auditTrail,
                new RolloutsApi(
                        rollouts,
                        id -> VersionWindows.numbers(versionStats, shadowLog.counts(id), id, clock.instant())),
                new TablesApi(tables, (table, hits, misses, nanos, record) -> {
                    metrics.tableLookup(table, hits, misses, nanos);
                    if (settings.observeCalls()) {
                        requestLog.record(record);
                    }
                }),
                history,
                coldStarts,
                requestLog.recent());
        var forwarder = new InstanceForwarder(
                transport,
                settings.requestTimeout(),
                tracing,
                new HeldBytes(settings.limits().maxHeldBytes()));
        var observer = observer(settings, metrics, requestLog, alertStats, versionStats, clock);
        calls = Pipeline.of(routes, forwarder, intake, admission, observer, shadows(metrics), tracing);
        var uploads = settings.dataDir().resolve("uploads");
        SpooledUploads.clear(uploads); // what a gateway that stopped mid-upload left
        try {
            http = HttpServer.start(
                    settings.host(),
                    settings.port(),
                    transport,
                    HttpServer.loops(transport, settings.ioThreads()),
                    settings.limits(),
                    uploads,
                    calls,
                    api,
                    tls);
        } catch (RuntimeException e) {
            closeParts();
            throw e;
        }
    }

    /** Starts the platform and restores the deployments that were active. */
    public static FlowhostServer start(ServerSettings settings) {
        var clock = Clock.systemUTC();
        // First of all: a certificate that will not load stops the start before any state is touched.
        var tls = settings.tls() == null ? null : ReloadingTls.start(settings.tls());
        FlowhostServer server;
        try {
            server = new FlowhostServer(settings, clock, tls);
        } catch (RuntimeException e) {
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
        try {
            server.resume(clock);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * Leads (takes the lease, then requeues what ran, restores the deployments and starts the loops) or, on a shared
     * database that another gateway leads, follows it until it can take the lead.
     */
    private void resume(Clock clock) {
        processes.gateway(uri().toString());
        // Once listening (a version written here names this gateway's address as its source): what this gateway
        // had, and what the others published while it was down; then every 2 s.
        tables.sync();
        tableSync.scheduleWithFixedDelay(tables::sync, 2, 2, TimeUnit.SECONDS);
        // An OIDC issuer's tokens count as tokens. The list is read once, for both below.
        boolean openToAll = !loopbackOnly()
                && settings.oidc() == null
                && state.tokens().list().isEmpty();
        if (openToAll && !settings.insecure()) {
            throw new IllegalStateException("refusing to listen on " + settings.host() + " with no token: anyone"
                    + " who reaches port " + port() + " could deploy code. Make one first ('flowhost tokens create"
                    + " --scope admin --name root' with this server's --data-dir or --state), accept the tokens of"
                    + " your identity provider (--oidc-issuer and --oidc-jwks), or pass --insecure");
        }
        // First of all: nothing the leader does may run twice on one state store.
        var host = hostName();
        name = LeaderLease.holderName(host, ProcessHandle.current().pid(), listening());
        var taken = settings.state() == null
                ? Optional.of(LeaderLease.take(state.leadership(), name, host, FlowhostServer::alive, clock))
                : LeaderLease.tryTake(state.leadership(), name, host, FlowhostServer::alive, clock);
        LOG.log(
                Level.INFO,
                "flowhost listening on " + listening() + " (data dir "
                        + settings.dataDir().toAbsolutePath()
                        + (settings.state() == null ? "" : ", state in " + settings.state()) + ", "
                        + transport.name() + ")");
        if (openToAll) {
            LOG.log(
                    Level.WARNING,
                    "listening on " + settings.host() + ", not loopback, with no tokens: anyone who can reach port "
                            + port() + " can deploy code to this server and undeploy services until the first token"
                            + " is made ('flowhost tokens create --scope admin --name root'); from then on the"
                            + " management API asks for one");
            if (settings.state() != null) {
                LOG.log(
                        Level.WARNING,
                        "instances listen on " + settings.host() + " too, so that gateways on other hosts reach"
                                + " them: keep their ports behind the same network boundary as the gateways'");
            }
        }
        for (var own : callbackOrigins.own()) {
            LOG.log(
                    Level.WARNING,
                    "--callback-origin " + own + " is this server's own address; callbacks to it will be refused");
        }
        link.start(name);
        if (taken.isPresent()) {
            lead(taken.get(), clock);
        } else {
            follow(host, clock);
        }
    }

    /** Runs the control loops: this gateway holds the lease. */
    private void lead(LeaderLease taken, Clock clock) {
        lease = taken;
        var sync = following;
        following = null;
        if (sync != null) {
            sync.stop(); // the old leader's instances went with it: hold calls until this one's are ready
        }
        var stopping = retiring;
        if (stopping != null) {
            // It led before, was deposed and leads again: its old instances are gone before it supervises new ones.
            try {
                stopping.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            retiring = null;
            processes.resumeSpares();
        }
        leads = true;
        var requests = state.requests();
        AlertEngine engine = null;
        try {
            int recovered = requests.recoverAfterRestart(clock.instant());
            if (recovered > 0) {
                LOG.log(
                        Level.INFO,
                        recovered + " async requests that were running when the "
                                + (sync == null ? "server last stopped" : "last leader died") + " are queued again");
            }
            engine = AlertEngine.start(
                    alertSettings, VersionWindows.alertStats(alertStats, versionStats), state.alerts());
            driver.lead(taken.term().number());
            unrestored = deployments.restore();
        } catch (RuntimeException e) {
            // The state failed a step of the takeover, before any control loop runs: what started stops, and the
            // lease goes back, so that the follow loop whose round this is (or another gateway) tries again; the
            // gateway routes as a follower meanwhile. Left leading, the follow loop would end and no renewal would
            // ever start: a leader in name only.
            leads = false;
            if (engine != null) {
                engine.close();
            }
            taken.release();
            if (sync != null) {
                sync.resume();
                following = sync;
            }
            throw e;
        }
        if (sync != null) {
            LOG.log(
                    Level.INFO,
                    "this gateway leads now, in term " + taken.term().number());
        }
        alerts = engine;
        scaling.start();
        // Decide for each now rather than at the first tick: after a takeover, calls wait on every gateway.
        supervisor.deployments().forEach(d -> scaling.wake(d.id()));
        // After the restore: a request requeued above must find its service's route, or it would fail as unknown.
        dispatcher.start(calls, http::nextLoop);
        int owed = callbacks.resendOwed(clock.instant().minus(CALLBACK_HANDOVER));
        if (owed > 0) {
            LOG.log(
                    Level.INFO,
                    owed + " completion callbacks that were not yet sent when the "
                            + (sync == null ? "server last stopped" : "last leader died") + " are being sent");
        }
        sweeping = everySecond.scheduleWithFixedDelay(() -> sweep(requests, clock), 1, 1, TimeUnit.SECONDS);
        stepping = everySecond.scheduleWithFixedDelay(this::stepRollouts, 1, 1, TimeUnit.SECONDS);
        if (!unrestored.isEmpty()) {
            restoring = everySecond.scheduleWithFixedDelay(this::restoreAgain, 1, 1, TimeUnit.SECONDS);
        }
        var renewEvery = LeaderLease.RENEW_EVERY.toMillis();
        everySecond.scheduleWithFixedDelay(this::renewLease, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        ready = true;
    }

    /**
     * Serves calls to the leader's instances and asks it for what only it does, reading the deployments and
     * instances as they change; every {@link LeaderLease#TRY_EVERY} tries to take the lead, which it gets once the
     * leader stops renewing (at once if the leader ran on this host and its process is gone).
     */
    private void follow(String host, Clock clock) {
        follow(clock, () -> {
            try {
                LeaderLease.tryTake(state.leadership(), name, host, FlowhostServer::alive, clock)
                        .ifPresent(taken -> lead(taken, clock));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot take the lead (" + e.getMessage() + "); trying again");
            }
        });
    }

    /** Follows, doing {@code alsoEachRound} after reading the routes, every {@link LeaderLease#TRY_EVERY}. */
    private void follow(Clock clock, Runnable alsoEachRound) {
        var readySets =
                driver.discovery().<RouteSync.ReadySets>map(d -> d::ready).orElse(RouteSync.published(state.cluster()));
        var sync = new RouteSync(state.deployments(), readySets, state.leadership(), routes, clock);
        following = sync;
        LOG.log(
                Level.INFO,
                "following "
                        + state.leadership()
                                .leader(clock.instant())
                                .map(Term::holder)
                                .orElse("the leader")
                        + ": this gateway routes calls to its instances and forwards deploys to it");
        ready = syncRoutes(sync); // before start returns: a started gateway routes what is deployed
        var every = LeaderLease.TRY_EVERY.toMillis();
        everySecond.scheduleWithFixedDelay(
                () -> {
                    if (leads) {
                        throw new CancellationException("leading now"); // ends the attempts
                    }
                    ready = syncRoutes(sync) || ready;
                    alsoEachRound.run();
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
    }

    /** Whether the routes were read: false while the database is away (they stay as they were). */
    private static boolean syncRoutes(RouteSync sync) {
        try {
            sync.sync();
            return true;
        } catch (RuntimeException e) {
            return false; // the next round reads again
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Where instances listen: on loopback while the server does, since only it calls them; on the server's own
     * address when gateways on other hosts may share its state and route to them, published under the host the server
     * advertises, or this host's name, when that address is a wildcard.
     */
    private static ProcessSettings instanceSettings(ServerSettings settings) {
        var host = settings.state() == null || HttpServer.isLoopback(settings.host())
                ? ProcessSettings.LOOPBACK
                : settings.host();
        var wildcard = host.equals("0.0.0.0") || host.equals("::");
        return new ProcessSettings(
                settings.dataDir(),
                settings.instanceJvmOptions(),
                settings.maxBody(),
                settings.metaflow(),
                host,
                !wildcard
                        ? host
                        : settings.advertise() != null ? settings.advertise().getHost() : hostName(),
                // With pods for instances this driver only describes jars: no JVMs to keep warm.
                settings.kubernetes() == null ? settings.warmSpares() : 0);
    }

    /** The Kubernetes driver: jars described by this process's runtime, pods fetching theirs with their tokens. */
    private static InstanceDriver pods(ServerSettings settings, ProcessDriver describer, DeploymentTokens tokens) {
        var k8s = settings.kubernetes();
        LOG.log(
                Level.INFO,
                "instances run as pods of " + k8s.image() + " in namespace " + k8s.namespace() + ", fetching their"
                        + " jars from " + k8s.gateways());
        return KubernetesDriver.connect(
                new KubernetesSettings(
                        k8s.namespace(), k8s.image(), k8s.gateways(), KUBERNETES_INSTANCE_PORT, settings.maxBody()),
                describer::inspect,
                tokens::tokenFor);
    }

    /** Where the leader listens, if a live gateway leads. */
    private Optional<String> leaderAddress() {
        return state.leadership().leader(Instant.now()).flatMap(t -> link.addressOf(t.holder()));
    }

    /**
     * Where other gateways reach this one: where it was told to say ({@code --advertise}), else its own address, or this
     * host's name when it listens on every interface.
     */
    private String advertised() {
        var advertise = settings.advertise();
        if (advertise != null) {
            return advertise.getScheme() + "://" + advertise.getHost() + ":"
                    + (advertise.getPort() >= 0 ? advertise.getPort() : port());
        }
        var host = settings.host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return scheme() + "://" + hostName() + ":" + port();
        }
        return uri().toString();
    }

    /** Every answered call into the metrics, the request log and the alert statistics; or nowhere. */
    private static CallObserver observer(
            ServerSettings settings,
            Metrics metrics,
            RequestLog requestLog,
            RecordingStats alertStats,
            RecordingStats versionStats,
            Clock clock) {
        if (!settings.observeCalls()) {
            return CallObserver.NONE;
        }
        return call -> {
            metrics.call(call);
            requestLog.record(call);
            if (!call.metricService().equals("unknown")) {
                long now = clock.millis();
                alertStats.call(call.metricService(), call.status(), call.totalNanos(), now);
                versionStats.call(call.deployment(), call.status(), call.totalNanos(), now);
            }
        };
    }

    /** Shadow copies into the shadow log (counts, version statistics, disagreements) and the metrics. */
    private ShadowObserver shadows(Metrics metrics) {
        return new ShadowObserver() {
            @Override
            public void compared(ShadowPair pair) {
                shadowLog.compared(pair);
                metrics.shadowCopy(pair.shadow().id(), pair.agreed() ? "agreed" : "disagreed");
            }

            @Override
            public void dropped(Deployment shadow) {
                shadowLog.dropped(shadow);
                metrics.shadowCopy(shadow.id(), "dropped");
            }
        };
    }

    /** Instances started and lost, into the metrics and the alert statistics. */
    private void observeInstances(Metrics metrics, RecordingStats alertStats) {
        supervisor.observe(new Supervisor.Events() {
            @Override
            public void started(Deployment deployment, RunningInstance instance) {
                if (instance.coldStartBreakdown() != null) {
                    coldStarts.add(
                            deployment.id(),
                            new ColdStarts.Start(Instant.now(), instance.id(), instance.coldStartBreakdown()));
                }
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

    /** Deploys the service jar in this file (read as a stream, not held in memory), as {@code POST /v1/deployments} does. */
    public Deployment deploy(
            Path jar, String className, Map<String, String> serviceSettings, Map<String, String> scalingSettings)
            throws DeploymentFailedException, InvalidSettingsException, BreakingChangeException {
        return deployments.deploy(jar, className, serviceSettings, scalingSettings, null);
    }

    /** Deploys a service jar, as {@code POST /v1/deployments} does. */
    public Deployment deploy(
            byte[] jar, String className, Map<String, String> serviceSettings, Map<String, String> scalingSettings)
            throws DeploymentFailedException, InvalidSettingsException, BreakingChangeException {
        return deployments.deploy(jar, className, serviceSettings, scalingSettings);
    }

    /** Whether this server leads its state (runs the control loops) rather than following another. */
    public boolean leads() {
        return leads;
    }

    /** The tokens of deployments' instances: what the Kubernetes driver hands its pods. */
    DeploymentTokens tokens() {
        return tokens;
    }

    /** The port the gateway listens on. */
    public int port() {
        return http.port();
    }

    /** Where to call the server from this machine, e.g. {@code http://127.0.0.1:8080} ({@code https} with TLS). */
    public URI uri() {
        var host = settings.host().equals("0.0.0.0") || settings.host().equals("::") ? "127.0.0.1" : settings.host();
        return URI.create(scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** Where the server listens, as it is: {@code http://0.0.0.0:8080 (every interface)} when it is that. */
    public String listening() {
        var host = settings.host();
        var every = host.equals("0.0.0.0") || host.equals("::");
        return scheme() + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port()
                + (every ? " (every interface)" : "");
    }

    /** {@code https} when the port speaks TLS, else {@code http}. */
    private String scheme() {
        return settings.tls() == null ? "http" : "https";
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

    /**
     * Keeps the lease; once another server has taken it (this one was paused or cut off past its lease), stops this
     * one's control loops, so that they do not run twice: calls already routed to its instances are still answered.
     */
    private void renewLease() {
        if (lease.renew()) {
            publisher.retry();
            return;
        }
        leads = false;
        var shared = settings.state() != null;
        LOG.log(
                Level.ERROR,
                "this server (" + lease.holder() + ") lost the lead of its state to "
                        + lease.leader().orElse("another server")
                        + ": stopping its autoscaler, async dispatcher, alerts, sweeps and instances"
                        + (shared
                                ? "; it follows the new leader now, and leads again if that one goes"
                                : "; restart it to serve again"));
        processes.stopSpares(); // it starts no instance while it follows: a warm spare here would only hold memory
        sweeping.cancel(false);
        stepping.cancel(false);
        if (restoring != null) {
            restoring.cancel(false);
        }
        unrestored = List.of();
        dispatcher.close();
        scaling.stop();
        if (shared) {
            // Its instances are nobody's now: the new leader runs its own. Follow first, so that calls here go to
            // those (held until they are ready) rather than finding the service unknown while these stop; calls
            // already sent to these are still answered.
            var own = supervisor.deployments();
            retiring = Thread.ofVirtual()
                    .name("retire-deposed")
                    .unstarted(() -> own.forEach(d -> supervisor.retire(d.id())));
            follow(hostName(), Clock.systemUTC());
            retiring.start();
        }
        if (alerts != null) {
            // The new leader's engine evaluates the rules now: two would store states over each other and notify
            // twice. Last, since it lets the notifications already queued go out first.
            alerts.close();
        }
        throw new CancellationException("not the leader any more"); // ends the renewals
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Closes every part, the HTTP server first (when it is up), so that no call arrives at a closed part. */
    private void closeParts() {
        ready = false;
        everySecond.shutdownNow();
        tableSync.shutdownNow();
        if (lease != null && leads) {
            lease.release();
        }
        if (alerts != null) {
            alerts.close();
        }
        dispatcher.close();
        callbacks.close(); // what is on its way stays owed, for the next start
        scaling.close();
        if (http != null) {
            http.close();
        }
        supervisor.close();
        link.close();
        api.close();
        admission.close();
        auditTrail.close();
        if (oidc != null) {
            oidc.close();
        }
        tables.close();
        state.close();
        requestLog.close();
        shadowLog.close();
        tracing.close();
    }

    /**
     * How long an instance out of the routes keeps running for the other gateways to stop calling it: with shared state,
     * two of the rounds in which followers read the routes; none alone. Pods need none here: their preStop hook waits
     * while every gateway's watch sees them go.
     */
    private static Duration othersLetGo(ServerSettings settings) {
        return settings.state() != null && settings.kubernetes() == null
                ? LeaderLease.TRY_EVERY.multipliedBy(2)
                : Duration.ZERO;
    }

    /**
     * The gateway's routes, and the instances published for the others, kept up to date with the supervisor's while
     * this gateway leads; a deposed one follows the new leader's routes, which its own instances stopping must not undo.
     */
    private static Supervisor.Listener routing(
            RouteTable routes, InstancePublisher publisher, BooleanSupplier routesOwnInstances) {
        return new Supervisor.Listener() {
            @Override
            public void readyChanged(Deployment deployment, List<RunningInstance> ready) {
                var addresses = ready.stream()
                        .map(i -> new InstanceAddress(i.id(), i.address(), i.socket()))
                        .toList();
                if (routesOwnInstances.getAsBoolean()) {
                    routes.readyChanged(deployment, addresses);
                }
                publisher.ready(deployment.id(), addresses);
            }

            @Override
            public void retired(Deployment deployment) {
                if (routesOwnInstances.getAsBoolean()) {
                    routes.retired(deployment);
                }
                publisher.ready(deployment.id(), List.of());
            }
        };
    }

    /**
     * A deployment's load for the autoscaler: every gateway's calls in flight and held (this one's and those the
     * others reported), and its queued async requests, which are demand too (a deployment at zero with a backlog
     * wakes, one with a long backlog grows).
     */
    private static ScalingLoop.Load load(
            RouteTable routes, RequestStore requests, GatewayLink link, String deploymentId) {
        var here = routes.traffic(deploymentId)
                .map(t -> new Cluster.Demand(t.inFlight(), t.held(), t.lastArrival()))
                .orElse(new Cluster.Demand(0, 0, null));
        var all = here.plus(link.othersDemand(deploymentId));
        return new ScalingLoop.Load(
                all.inFlight(),
                (int) Math.min(Integer.MAX_VALUE, all.held() + queuedDemand(routes, requests, deploymentId)),
                all.lastArrival());
    }

    /**
     * The queued async calls a deployment will run: its own, and those of versions replaced since they accepted
     * theirs, which the gateway runs on their service's primary (or a backlog left on an old version would never
     * scale the new one).
     */
    static long queuedDemand(RouteTable routes, RequestStore requests, String deploymentId) {
        long queued = requests.queued(deploymentId);
        for (var other : requests.deploymentsWithQueued()) {
            if (!other.equals(deploymentId)
                    && routes.traffic(other).isEmpty()
                    && routes.trafficOfQueued(other)
                            .filter(t -> t.deploymentId().equals(deploymentId))
                            .isPresent()) {
                queued += requests.queued(other);
            }
        }
        return queued;
    }

    /** Restores the deployments this leader could not restore yet, and has the autoscaler decide for those it did. */
    private void restoreAgain() {
        var pending = unrestored;
        if (pending.isEmpty()) {
            return;
        }
        try {
            var still = deployments.restore(pending);
            unrestored = still;
            // decided at once, as at the takeover, for those restored now (not for one undeployed meanwhile)
            supervisor.deployments().stream()
                    .map(Deployment::id)
                    .filter(id -> pending.contains(id) && !still.contains(id))
                    .forEach(scaling::wake);
            if (still.isEmpty()) {
                restoring.cancel(false);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot list the deployments to restore (" + e.getMessage() + "); trying again");
        }
    }

    /** Judges each live rollout and takes its next step (the leader's). */
    private void stepRollouts() {
        try {
            rollouts.tick();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "stepping rollouts failed; trying again in a second", e);
        }
    }

    /** Takes back leases that lapsed (their runner died or hung), and expires and deletes old async requests. */
    private void sweep(RequestStore requests, Clock clock) {
        try {
            var now = clock.instant();
            if (requests.reclaimExpiredLeases(now) > 0) {
                dispatcher.nudge();
            }
            sweepRequests(requests, now, SWEEP_BUDGET);
            // Those of requests that expired or were cancelled, and any lost on its way; a run's own callback is
            // on its way from the dispatcher by then, and not sent twice.
            callbacks.resendOwed(now.minus(CALLBACK_HANDOVER));
        } catch (StateUnavailableException e) {
            // the dispatcher says so once per outage; the sweep simply tries again in a second
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "sweeping async requests failed; trying again in a second", e);
        }
    }

    /**
     * Sweeps the requests while batches come back full, for up to {@code budget}; returns the rows touched. One batch
     * a tick would clear at most 1000 rows a second, slower than a busy server finishes requests.
     */
    static int sweepRequests(RequestStore requests, Instant now, Duration budget) {
        long until = System.nanoTime() + budget.toNanos();
        int total = 0;
        int swept;
        do {
            swept = requests.sweep(now);
            total += swept;
        } while (swept >= SWEEP_AGAIN_FROM && System.nanoTime() - until < 0);
        return total;
    }
}
