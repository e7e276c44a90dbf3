package io.flowhost.server;

import io.flowhost.async.CallbackOrigins;
import io.flowhost.control.deploy.ArtifactRoots;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.settings.Durations;
import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import io.flowhost.server.access.OidcSettings;
import io.flowhost.server.http.Limits;
import io.flowhost.server.tls.TlsFiles;
import io.flowhost.state.postgres.PostgresUrl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How the platform runs, checked when built: an invalid value fails at startup naming the setting,
 * the value and what is allowed.
 *
 * @param host the address the gateway listens on (default 127.0.0.1: the management API asks for no token until one is made)
 * @param port the gateway's port (default 8080; 0 picks a free one)
 * @param dataDir where the state, uploaded jars and instance logs live
 * @param limits what the server refuses: body and upload sizes, held and pipelined bytes, connections and their
 *               timeouts (default {@link Limits#defaults()})
 * @param requestTimeout how long the gateway waits for an instance's answer before a 504 (default 60 s)
 * @param scaling the scaling every deployment starts from, before its service's {@code @Service} attributes and
 *                its own settings (default {@link ScalingSettings#defaults()}); the same keys as a deploy's
 * @param ioThreads gateway event-loop threads (default: one per core)
 * @param instanceJvmOptions extra JVM options for instance processes
 * @param metaflow the Metaflow datastore that {@code metaflow://} references read (default: Metaflow's own
 *                 {@code METAFLOW_DATASTORE_SYSROOT_S3}, else {@code METAFLOW_DATASTORE_SYSROOT_LOCAL}), or null
 * @param callbackOrigins the origins ({@code http://host:port}) async completion callbacks may go to (none by
 *                        default); never this server's own address
 * @param alertsFile the alert rules and webhooks (JSON), or null for the built-in rules, notified to the log only
 * @param observeCalls record every call in the request log, the metrics and the alert statistics (default true;
 *                     off only to measure what that costs)
 * @param state the PostgreSQL database that holds the deployments, the async queue and the alert states, or null
 *              (the default) for SQLite files under the data dir
 * @param kubernetes where instances run as pods ({@code --driver kubernetes}), or null (the default) for child
 *              processes on this machine
 * @param insecure whether to listen beyond loopback with no token, the management API open to whoever reaches it
 *                 ({@code --insecure}; default false: such a server refuses to start)
 * @param openMetrics whether {@code /metrics} answers without a token once tokens exist ({@code --open-metrics},
 *                    for a scraper on a private network; default false: it needs a {@code read} token)
 * @param artifactRoots the folders {@code file:} references in deployments may name ({@code --artifact-root}; none
 *                      by default: such references are refused)
 * @param oidc an identity provider whose JWTs are accepted beside flowhost's own tokens ({@code --oidc-*}), or null
 *             (the default) for none; its tokens count as tokens that exist (the management API always asks, and a
 *             server beyond loopback starts without {@code --insecure})
 * @param tls the certificate and key the port speaks TLS with ({@code --tls-cert}, {@code --tls-key}), or null
 *            (the default) for plain HTTP
 * @param historyEvery how often the dashboard's charts get a point, whole seconds from 1 s to 5 min; the last
 *                     {@value io.flowhost.server.observe.History#POINTS} are kept ({@code --history-every}; default
 *                     10 s: the last hour)
 * @param warmSpares how many instance JVMs each host keeps started and warm, ready to become an instance of any
 *                   deployment ({@code --warm-spares}; default 1, 0 to start every instance's JVM when it is needed)
 * @param retiredJarsKept how many retired versions of each service keep their jars, the newest
 *                        ({@code --keep-retired-jars}; default 5, 0 to drop a version's jar once it is retired);
 *                        the jars of active deployments are always kept
 * @param advertise where the other gateways sharing the state reach this one ({@code --advertise}, e.g. {@code
 *                  https://gw-2.internal:8443}; without a port, this one's), or null (the default) for its own
 *                  address, or this host's name when it listens on every interface
 */
public record ServerSettings(
        String host,
        int port,
        Path dataDir,
        Limits limits,
        Duration requestTimeout,
        ScalingSettings scaling,
        int ioThreads,
        List<String> instanceJvmOptions,
        DatastoreOptions metaflow,
        Set<String> callbackOrigins,
        Path alertsFile,
        boolean observeCalls,
        PostgresUrl state,
        OnKubernetes kubernetes,
        boolean insecure,
        boolean openMetrics,
        List<Path> artifactRoots,
        OidcSettings oidc,
        TlsFiles tls,
        Duration historyEvery,
        int warmSpares,
        int retiredJarsKept,
        URI advertise) {

    public static final int DEFAULT_PORT = 8080;

    public ServerSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(
                    "host: '" + host + "' (expected: an address such as 127.0.0.1 or 0.0.0.0)");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535, 0 for any free port)");
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("data-dir: missing (expected: a directory for the server's files)");
        }
        Objects.requireNonNull(limits, "limits");
        requirePositive("request-timeout", requestTimeout);
        Objects.requireNonNull(scaling, "scaling");
        if (ioThreads < 1 || ioThreads > 256) {
            throw new IllegalArgumentException("io-threads: " + ioThreads + " (expected: 1..256)");
        }
        instanceJvmOptions = List.copyOf(instanceJvmOptions);
        artifactRoots = artifactRoots == null ? List.of() : List.copyOf(artifactRoots);
        ArtifactRoots.of(artifactRoots); // each must be a folder that exists, said now naming it
        callbackOrigins = callbackOrigins == null ? Set.of() : Set.copyOf(callbackOrigins);
        callbackOrigins.forEach(CallbackOrigins.Origin::parse); // each is checked now, naming the bad one
        historyEvery = historyEvery == null ? DEFAULT_HISTORY_EVERY : historyEvery;
        // whole seconds within what the call statistics keep (5 min at 1 s resolution)
        if (historyEvery.toMillis() % 1000 != 0
                || historyEvery.compareTo(Duration.ofSeconds(1)) < 0
                || historyEvery.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("history-every: " + Durations.format(historyEvery)
                    + " (expected whole seconds from 1s to 5m, e.g. 10s: the last hour in 360 points)");
        }
        if (advertise != null) {
            checkAdvertised(advertise, tls != null);
        }
        if (warmSpares < 0 || warmSpares > MAX_WARM_SPARES) {
            throw new IllegalArgumentException("warm-spares: " + warmSpares + " (expected: 0.." + MAX_WARM_SPARES
                    + "; each idle spare is a JVM of about 80 MiB)");
        }
        if (retiredJarsKept < 0) {
            throw new IllegalArgumentException("keep-retired-jars: " + retiredJarsKept
                    + " (expected: 0 or more retired versions per service whose jars are kept)");
        }
    }

    private static void checkAdvertised(URI advertise, boolean tls) {
        var scheme = advertise.getScheme();
        var path = advertise.getRawPath();
        if (scheme == null
                || !(scheme.equals("http") || scheme.equals("https"))
                || advertise.getHost() == null
                || advertise.getRawQuery() != null
                || !(path == null || path.isEmpty() || path.equals("/"))) {
            throw new IllegalArgumentException("advertise: '" + advertise + "' (expected: a URL of scheme, host and"
                    + " maybe port, such as https://gw-2.internal:8443)");
        }
        if (scheme.equals("https") != tls) {
            throw new IllegalArgumentException("advertise: '" + advertise + "' (this server speaks "
                    + (tls ? "TLS: https://" : "plain HTTP: http://") + "...)");
        }
    }

    /** Warm spares a host keeps by default: one, so that a deployment at zero wakes without starting a JVM. */
    public static final int DEFAULT_WARM_SPARES = 1;

    /** The most warm spares a host may keep: more only cost memory, since a new one starts after each handoff. */
    public static final int MAX_WARM_SPARES = 8;

    /** How many retired versions of each service keep their jars by default. */
    public static final int DEFAULT_RETIRED_JARS_KEPT = 5;

    /** How often the dashboard's charts get a point by default: 360 of them make the last hour. */
    public static final Duration DEFAULT_HISTORY_EVERY = Duration.ofSeconds(10);

    /** The defaults, keeping files under the given directory, with the Metaflow datastore from the environment. */
    public static ServerSettings defaults(Path dataDir) {
        var metaflow = Datastore.rootFromEnvironment(System.getenv())
                .map(DatastoreOptions::of)
                .orElse(null);
        return new ServerSettings(
                "127.0.0.1",
                DEFAULT_PORT,
                dataDir,
                Limits.defaults(),
                Duration.ofSeconds(60),
                ScalingSettings.defaults(),
                Runtime.getRuntime().availableProcessors(),
                List.of(),
                metaflow,
                Set.of(),
                null,
                true,
                null,
                null,
                false,
                false,
                List.of(),
                null,
                null,
                DEFAULT_HISTORY_EVERY,
                DEFAULT_WARM_SPARES,
                DEFAULT_RETIRED_JARS_KEPT,
                null);
    }

    /** These settings reading Metaflow artifacts from the given datastore (null for none). */
    public ServerSettings withMetaflow(DatastoreOptions datastore) {
        return with(f -> f.metaflow = datastore);
    }

    /** These settings letting completion callbacks go to the given origins ({@code http://host:port}). */
    public ServerSettings withCallbackOrigins(Set<String> origins) {
        return with(f -> f.callbackOrigins = origins);
    }

    /** These settings with alert rules from a file. */
    public ServerSettings withAlertsFile(Path file) {
        return with(f -> f.alertsFile = file);
    }

    /** These settings recording calls or not. */
    public ServerSettings withObserveCalls(boolean observe) {
        return with(f -> f.observeCalls = observe);
    }

    /** These settings keeping the state in the given PostgreSQL database (null: SQLite under the data dir). */
    public ServerSettings withState(PostgresUrl database) {
        return with(f -> f.state = database);
    }

    /** These settings running instances as pods (null: as child processes). */
    public ServerSettings withKubernetes(OnKubernetes pods) {
        return with(f -> f.kubernetes = pods);
    }

    /** These settings on another port. */
    public ServerSettings withPort(int newPort) {
        return with(f -> f.port = newPort);
    }

    /** These settings with another request timeout. */
    public ServerSettings withRequestTimeout(Duration timeout) {
        return with(f -> f.requestTimeout = timeout);
    }

    /** These settings with another body limit. */
    public ServerSettings withMaxBody(int bytes) {
        return with(f -> f.limits = limits.withMaxBody(bytes));
    }

    /** These settings with other scaling defaults for every deployment. */
    public ServerSettings withScaling(ScalingSettings defaults) {
        return with(f -> f.scaling = defaults);
    }

    /** These settings with other limits. */
    public ServerSettings withLimits(Limits newLimits) {
        return with(f -> f.limits = newLimits);
    }

    /** These settings letting the server listen beyond loopback with no token (or not). */
    public ServerSettings withInsecure(boolean open) {
        return with(f -> f.insecure = open);
    }

    /** These settings leaving {@code /metrics} open to scrapers without a token (or not). */
    public ServerSettings withOpenMetrics(boolean open) {
        return with(f -> f.openMetrics = open);
    }

    /** These settings letting {@code file:} references name files under these folders. */
    public ServerSettings withArtifactRoots(List<Path> folders) {
        return with(f -> f.artifactRoots = folders);
    }

    /** These settings accepting the JWTs of an identity provider (null: flowhost's own tokens only). */
    public ServerSettings withOidc(OidcSettings issuer) {
        return with(f -> f.oidc = issuer);
    }

    /** These settings speaking TLS with the given certificate and key (null: plain HTTP). */
    public ServerSettings withTls(TlsFiles files) {
        return with(f -> f.tls = files);
    }

    /** These settings giving the dashboard's charts a point this often. */
    public ServerSettings withHistoryEvery(Duration every) {
        return with(f -> f.historyEvery = every);
    }

    /** These settings keeping this many warm spares per host (0: none). */
    public ServerSettings withWarmSpares(int count) {
        return with(f -> f.warmSpares = count);
    }

    /** These settings keeping the jars of this many retired versions of each service. */
    public ServerSettings withRetiredJarsKept(int count) {
        return with(f -> f.retiredJarsKept = count);
    }

    /** These settings telling the other gateways to reach this one at {@code url}. */
    public ServerSettings withAdvertise(URI url) {
        return with(f -> f.advertise = url);
    }

    /** These settings listening on another address. */
    public ServerSettings withHost(String newHost) {
        return with(f -> f.host = newHost);
    }

    /** A copy with one change, checked again as any settings are. */
    private ServerSettings with(Consumer<Fields> change) {
        var fields = new Fields(this);
        change.accept(fields);
        return fields.settings();
    }

    /** The settings as fields a wither may change, one at a time. */
    private static final class Fields {
        String host;
        int port;
        Path dataDir;
        Limits limits;
        Duration requestTimeout;
        ScalingSettings scaling;
        int ioThreads;
        List<String> instanceJvmOptions;
        DatastoreOptions metaflow;
        Set<String> callbackOrigins;
        Path alertsFile;
        boolean observeCalls;
        PostgresUrl state;
        OnKubernetes kubernetes;
        boolean insecure;
        boolean openMetrics;
        List<Path> artifactRoots;
        OidcSettings oidc;
        TlsFiles tls;
        Duration historyEvery;
        int warmSpares;
        int retiredJarsKept;
        URI advertise;

        Fields(ServerSettings s) {
            host = s.host;
            port = s.port;
            dataDir = s.dataDir;
            limits = s.limits;
            requestTimeout = s.requestTimeout;
            scaling = s.scaling;
            ioThreads = s.ioThreads;
            instanceJvmOptions = s.instanceJvmOptions;
            metaflow = s.metaflow;
            callbackOrigins = s.callbackOrigins;
            alertsFile = s.alertsFile;
            observeCalls = s.observeCalls;
            state = s.state;
            kubernetes = s.kubernetes;
            insecure = s.insecure;
            openMetrics = s.openMetrics;
            artifactRoots = s.artifactRoots;
            oidc = s.oidc;
            tls = s.tls;
            historyEvery = s.historyEvery;
            warmSpares = s.warmSpares;
            retiredJarsKept = s.retiredJarsKept;
            advertise = s.advertise;
        }

        ServerSettings settings() {
            return new ServerSettings(
                    host,
                    port,
                    dataDir,
                    limits,
                    requestTimeout,
                    scaling,
                    ioThreads,
                    instanceJvmOptions,
                    metaflow,
                    callbackOrigins,
                    alertsFile,
                    observeCalls,
                    state,
                    kubernetes,
                    insecure,
                    openMetrics,
                    artifactRoots,
                    oidc,
                    tls,
                    historyEvery,
                    warmSpares,
                    retiredJarsKept,
                    advertise);
        }
    }

    /** The largest body of a call, in bytes. */
    public int maxBody() {
        return limits.maxBody();
    }

    /** The largest upload to {@code /v1/deployments}, in bytes. */
    public int maxJar() {
        return limits.maxJar();
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: > 0, e.g. 30s)");
        }
    }
}
