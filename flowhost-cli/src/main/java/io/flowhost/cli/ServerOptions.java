package io.flowhost.cli;

import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.server.OnKubernetes;
import io.flowhost.server.ServerSettings;
import io.flowhost.server.tls.TlsFiles;
import io.flowhost.state.postgres.PostgresUrl;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that start a server, shared by {@code server} and {@code serve}. */
final class ServerOptions {

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "Port of the gateway and API (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port = ServerSettings.DEFAULT_PORT;

    @Option(
            names = "--host",
            paramLabel = "ADDR",
            description =
                    "Address to listen on (default: ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for every interface, which needs a token made first, see 'flowhost tokens create --help', or --insecure).")
    String host = "127.0.0.1";

    @Option(
            names = "--insecure",
            description = "Listen beyond loopback with no token, the management API open to anyone who reaches the"
                    + " port (for a private network you trust; the first token made closes it). Not needed with"
                    + " --oidc-issuer, whose tokens count.")
    boolean insecure;

    @Option(
            names = "--open-metrics",
            description = "Let /metrics answer without a token once tokens exist, for a Prometheus scraper on a"
                    + " private network (default: it needs a read token).")
    boolean openMetrics;

    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description = "Speak TLS only on the port, with this certificate chain (PEM, the server's own"
                    + " certificate first): HTTP/2 to clients that offer it, else HTTP/1.1. Read again when it"
                    + " changes (checked every 2s), for new connections. Needs --tls-key.")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description = "The private key of --tls-cert (PEM, PKCS#8: BEGIN PRIVATE KEY, not encrypted; convert"
                    + " another with 'openssl pkcs8 -topk8 -nocrypt'). Read again when it changes.")
    Path tlsKey;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Where deployments, jars and instance logs are kept "
                    + "(default: $FLOWHOST_DATA_DIR, else ~/.flowhost).")
    Path dataDir;

    @Option(
            names = "--state",
            paramLabel = "URL",
            description = "Where the deployments, the async queue and the alert states are kept: sqlite (files under"
                    + " the data dir, the default) or postgresql://host:5432/db?user=... (default: $FLOWHOST_STATE,"
                    + " else sqlite). Every server given the same database serves the same deployments: one"
                    + " leads, the others follow and take over when it dies.")
    String state;

    @Option(
            names = "--driver",
            paramLabel = "DRIVER",
            description = "Where instances run: process (child JVMs on this machine, the default) or kubernetes"
                    + " (pods of --instance-image in --namespace, through the cluster this runs in, else KUBECONFIG).")
    String driver = "process";

    @Option(
            names = "--namespace",
            paramLabel = "NS",
            description =
                    "With --driver kubernetes: the namespace of the pods (default: this pod's own, else" + " default).")
    String namespace;

    @Option(
            names = "--instance-image",
            paramLabel = "IMAGE",
            description = "With --driver kubernetes: the flowhost instance image every pod runs; it holds the runtime"
                    + " only and fetches its service's jar (default: flowhost/instance:0.1.0).")
    String instanceImage = "flowhost/instance:0.1.0";

    @Option(
            names = "--gateway-url",
            paramLabel = "URL",
            description =
                    "With --driver kubernetes: how pods reach the gateways, for their jars and table lookups (default:"
                            + " http://flowhost.<namespace>.svc:<port>, the Service of deploy/kubernetes).")
    URI gatewayUrl;

    @Option(
            names = "--request-timeout",
            paramLabel = "DURATION",
            description = "How long to wait for an instance's answer before a 504 (default: 60s).")
    Duration requestTimeout;

    @Option(
            names = "--history-every",
            paramLabel = "DURATION",
            description = "How often the dashboard's charts (/ui) get a point; the last 360 are kept in memory"
                    + " (default: 10s, the last hour; whole seconds from 1s to 5m).")
    Duration historyEvery;

    @Option(
            names = "--warm-spares",
            paramLabel = "N",
            description = "Instance JVMs kept started and warm, each ready to become an instance of any deployment,"
                    + " so that a deployment at zero wakes without starting a JVM; a new one starts after each is"
                    + " used (default: 1; 0 for none; at most 8; about 80 MiB each while idle).")
    Integer warmSpares;

    @Option(
            names = "--keep-retired-jars",
            paramLabel = "N",
            description = "How many retired versions of each service keep their jars under the data dir (and in the"
                    + " shared state), the newest; older ones' are dropped at the next deploy, so that the jars of"
                    + " every version ever deployed do not fill the disk (default: 5; 0 drops a version's jar once"
                    + " it is retired; active versions always keep theirs).")
    Integer retiredJarsKept;

    @Option(
            names = "--io-threads",
            paramLabel = "N",
            description = "Gateway event-loop threads (default: one per core).")
    Integer ioThreads;

    @Option(
            names = "--instance-jvm-option",
            paramLabel = "OPTION",
            description = "An extra JVM option for instances, e.g. -Xmx2g (repeatable).")
    List<String> instanceJvmOptions = List.of();

    @Option(
            names = "--callback-origin",
            paramLabel = "ORIGIN",
            description = "An origin async completion callbacks may be sent to, scheme, host and port, e.g."
                    + " http://hooks.internal:8080 (repeatable; none by default; never this server's own address).")
    List<String> callbackOrigins = List.of();

    /** The flag of old, which allowed every port of a host: refused at startup, saying what to give instead. */
    @Option(names = "--callback-host", paramLabel = "HOST", hidden = true)
    List<String> callbackHosts = List.of();

    @Option(
            names = "--advertise",
            paramLabel = "URL",
            description = "Where the other gateways sharing --state reach this one, e.g. https://gw-2.internal:8443"
                    + " (without a port, this one's); default: its own address, or this host's name when it listens on"
                    + " every interface. For NAT, containers, or a name the others resolve.")
    URI advertise;

    @Option(
            names = "--artifact-root",
            paramLabel = "DIR",
            description = "A folder whose files deployments may name as file: references (an ONNX model, a"
                    + " setting), e.g. /models (repeatable; none by default, so file: references are refused).")
    List<Path> artifactRoots = List.of();

    @Option(
            names = "--alerts",
            paramLabel = "FILE",
            description =
                    "Alert rules and webhooks (JSON; 'flowhost alerts defaults' prints the built-in ones to start from).")
    Path alertsFile;

    @Option(
            names = "--observe-calls",
            paramLabel = "on|off",
            arity = "1",
            description = "Record every call in the request log, metrics and alert statistics (default: on; "
                    + "off only to measure what that costs).")
    String observeCalls = "on";

    @Mixin
    MetaflowOptions metaflow;

    @Mixin
    LimitsOptions limits;

    @Mixin
    OidcOptions oidc;

    /**
     * The settings these options ask for, with every deployment starting from {@code scaling}; a bad value stops
     * the command naming it.
     */
    ServerSettings settings(Path defaultDataDir, ScalingSettings scaling) {
        var defaults = ServerSettings.defaults(dataDir != null ? dataDir : defaultDataDir);
        if (!callbackHosts.isEmpty()) {
            throw new CliException(
                    "--callback-host is now --callback-origin, and takes an origin (scheme, host and port) so that a"
                            + " callback cannot reach another port of the host: e.g. --callback-origin http://"
                            + callbackHosts.getFirst() + ":8080",
                    2);
        }
        try {
            return new ServerSettings(
                    host,
                    port,
                    defaults.dataDir(),
                    limits.limits(),
                    requestTimeout != null ? requestTimeout : defaults.requestTimeout(),
                    scaling,
                    ioThreads != null ? ioThreads : defaults.ioThreads(),
                    instanceJvmOptions,
                    metaflow.options().orElse(null),
                    Set.copyOf(callbackOrigins),
                    alertsFile,
                    onOff("--observe-calls", observeCalls),
                    state(),
                    kubernetes(),
                    insecure,
                    openMetrics,
                    artifactRoots,
                    oidc.settings(),
                    TlsFiles.of(tlsCert, tlsKey),
                    historyEvery,
                    warmSpares != null ? warmSpares : ServerSettings.DEFAULT_WARM_SPARES,
                    retiredJarsKept != null ? retiredJarsKept : ServerSettings.DEFAULT_RETIRED_JARS_KEPT,
                    advertise);
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid setting: " + e.getMessage(), 2);
        }
    }

    /** Where pods go with {@code --driver kubernetes}, or null for child processes. */
    private OnKubernetes kubernetes() {
        switch (driver) {
            case "process" -> {
                return null;
            }
            case "kubernetes" -> {
                var ns = namespace != null ? namespace : namespaceOfThisPod();
                var url = gatewayUrl != null ? gatewayUrl : URI.create("http://flowhost." + ns + ".svc:" + port);
                return new OnKubernetes(ns, instanceImage, url);
            }
            default -> throw new CliException("--driver: '" + driver + "' (expected: process or kubernetes)", 2);
        }
    }

    /** The namespace of the pod this runs in (its service account's), else {@code default}. */
    private static String namespaceOfThisPod() {
        var file = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");
        try {
            return Files.isReadable(file) ? Files.readString(file).strip() : "default";
        } catch (IOException e) {
            return "default";
        }
    }

    /** The PostgreSQL database of {@code --state} (else {@code FLOWHOST_STATE}), or null for SQLite. */
    private PostgresUrl state() {
        var value = state != null ? state : System.getenv("FLOWHOST_STATE");
        if (value == null || value.isBlank() || value.equals("sqlite")) {
            return null;
        }
        if (!PostgresUrl.isPostgres(value)) {
            throw new CliException(
                    "--state: expected sqlite (files under the data dir, the default) or a PostgreSQL URL such as"
                            + " postgresql://db.internal:5432/flowhost?user=flowhost",
                    2);
        }
        return PostgresUrl.parse(value);
    }

    private static boolean onOff(String option, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new CliException(option + ": '" + value + "' (expected: on or off)", 2);
        };
    }

    static Path defaultDataDir() {
        var env = System.getenv("FLOWHOST_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".flowhost");
    }

    /** picocli's hook for {@link Conversions#size}. */
    static final class SizeConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return Conversions.size(value);
        }
    }
}
