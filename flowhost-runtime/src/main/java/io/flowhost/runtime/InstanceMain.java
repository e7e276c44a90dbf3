package io.flowhost.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import io.flowhost.runtime.internal.JarFetch;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.runtime.predictions.PredictionSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entry point of an instance process: {@code java io.flowhost.runtime.InstanceMain --jar service.jar}.
 *
 * <p>Exit status 2 means the service class cannot be served (the message on standard error says
 * why and what to change); 3 means the command line was wrong.
 */
public final class InstanceMain {

    static final String USAGE = """
            Usage: java -cp flowhost.jar io.flowhost.runtime.InstanceMain --jar <service.jar> [options]
       java -cp flowhost.jar io.flowhost.runtime.InstanceMain --onnx <reference> --name <name> [options]

            Runs one instance of a flowhost service: binds its @Endpoint methods and serves them over HTTP
            at /v1/services/{service}/{endpoint}, with /healthz and /readyz probes.

              --jar <file>          the service jar
              --jar-url <url>       fetch the service jar from here instead (from a flowhost gateway, with
                                    the token in $FLOWHOST_DEPLOYMENT_TOKEN), with --jar-sha256
              --jar-sha256 <hex>    the SHA-256 the fetched jar must have; any other jar is refused
              --class <name>        the @Service class (default: the single one in the jar)
              --host <addr>         address to listen on (default 127.0.0.1)
              --port <n>            port to listen on (default 0: any free port, printed at start)
              --port-file <file>    write the bound port to this file once listening, and the /readyz
                                    report to <file>.ready once ready
              --max-body <bytes>    largest request body (default 16777216)
              --socket <file>       take calls on this Unix domain socket too (Linux; at most 107 bytes of
                                    path): how the gateway on the same host reaches the instance most cheaply
              --set <key=value>     a deployment setting handed to the service (repeatable)
              --metaflow-root <r>   the Metaflow datastore metaflow:// references read: a folder holding
                                    .metaflow, or s3://bucket/prefix (default: $METAFLOW_DATASTORE_SYSROOT_S3,
                                    else $METAFLOW_DATASTORE_SYSROOT_LOCAL)
              --metaflow-s3-endpoint <url>    an S3-compatible endpoint for an s3:// root
              --metaflow-metadata-root <dir>  where Metaflow's local metadata is, for an s3:// root
              --pin <Flow=run-id>   resolve metaflow://Flow/latest/... to this run (repeatable; key Flow?tag=t
                                    for tagged references)
              --onnx <reference>    serve this ONNX model over the Open Inference Protocol instead of a
                                    service class (with --name)
              --name <name>         the name the ONNX model is served under
              --deployment <id>     the deployment this instance belongs to, named in its prediction logs
                                    (default: the service's name)
              --prediction-sample-rate <r>  the share of calls whose request and response are logged,
                                    0..1 (default 1), when a prediction logger exists
              --prediction-log-dir <dir>    log predictions as JSON Lines files under this directory, in
                                    hourly partitions; loggers registered through ServiceLoader (in the
                                    service jar or on the class path) get them too
              --exit-with-parent    exit when standard input closes (used by the flowhost server)
              --describe            check the service class, print what it offers as JSON, and exit
              --spare               (alone) start as a warm spare: warm up, then read the options above as
                                    one JSON array of strings on standard input (used by the flowhost server);
                                    a line {"check": [options], "answer": <file>} before it asks the spare to
                                    check the service first, as --describe does, writing the answer to the file
              --check               (alone) as --spare, without the warm-up
              --help                show this help
            """;

    /**
     * The only argument of a warm spare: it warms up, then reads its real arguments as one line of JSON (an array of
     * strings) from standard input.
     */
    public static final String SPARE = "--spare";

    /**
     * The only argument of a JVM started to check a jar and then become its deployment's first instance: a spare that
     * skips the warm-up, since it is needed at once.
     */
    public static final String CHECK = "--check";

    /**
     * The system property naming a file the instance creates when it is first called at an endpoint: set by the
     * server on an instance recording its deployment's class cache, which it keeps only if the instance was called.
     */
    public static final String SERVED_MARKER = "flowhost.instance.served-marker";

    private InstanceMain() {}

    public static void main(String[] args) {
        long mainStartedAt = System.currentTimeMillis();
        Logging.configure();
        if (args.length == 1 && (args[0].equals(SPARE) || args[0].equals(CHECK))) {
            try {
                args = Spare.await(System.in, args[0].equals(SPARE), InstanceMain::check, () -> {
                    System.err.println("flowhost-instance: standard input closed (the server is gone, or no longer"
                            + " needs this JVM); exiting");
                    dieNow();
                });
            } catch (IOException e) {
                System.err.println("flowhost-instance: cannot read the deployment handed to this spare: " + e);
                System.exit(3);
                return;
            }
            if (args == null) {
                System.err.println("flowhost-instance: the server that started this spare is gone; exiting");
                dieNow();
                return;
            }
            // The instance's start counts from its handoff: the time before was spent ahead of need.
            mainStartedAt = System.currentTimeMillis();
        }
        Parsed parsed;
        try {
            parsed = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("flowhost-instance: " + e.getMessage());
            System.err.println("Run with --help for the options.");
            System.exit(3);
            return;
        }
        if (parsed == null) {
            System.out.print(USAGE);
            return;
        }
        try {
            var fetch = parsed.fetch();
            long jarFetchedAt = 0;
            if (fetch != null) {
                JarFetch.fetch(fetch.url(), fetch.sha256(), System.getenv(JarFetch.TOKEN_VARIABLE), fetch.target());
                jarFetchedAt = System.currentTimeMillis();
            }
            if (parsed.describe()) {
                System.out.println(new ObjectMapper().writeValueAsString(Instance.describe(parsed.options())));
                return;
            }
            run(parsed.options(), mainStartedAt, jarFetchedAt);
        } catch (ServiceDefinitionException e) {
            System.err.println("flowhost-instance: cannot serve: " + e.getMessage());
            System.exit(2);
        } catch (IOException e) {
            System.err.println("flowhost-instance: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Checks the service that these instance arguments name, as {@code --describe} does, and writes the answer to
     * {@code answer} as JSON: {@code {"service": what it offers}}, or {@code {"refused": why}} before this JVM ends
     * with status 2, as an instance that cannot serve does.
     */
    private static void check(String[] args, Path answer) {
        var json = new ObjectMapper();
        String refused;
        try {
            var described = Instance.describe(parse(args).options());
            writeAtomically(answer, json.writeValueAsString(Map.of("service", described)));
            return;
        } catch (ServiceDefinitionException | IllegalArgumentException e) {
            refused = e.getMessage();
        } catch (IOException | RuntimeException | LinkageError e) {
            refused = "cannot check the service: " + e;
        }
        System.err.println("flowhost-instance: cannot serve: " + refused);
        try {
            writeAtomically(answer, json.writeValueAsString(Map.of("refused", refused)));
        } catch (IOException e) {
            System.err.println("flowhost-instance: cannot write " + answer + ": " + e.getMessage());
        }
        System.exit(2);
    }

    private static void run(InstanceOptions options, long mainStartedAt, long jarFetchedAt)
            throws ServiceDefinitionException, IOException {
        long started = System.nanoTime();
        var instance = Instance.start(options, mainStartedAt, jarFetchedAt);
        Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "instance-shutdown"));
        if (options.exitWithParent()) {
            watchParent(System.in);
        }
        if (options.portFile() != null) {
            writeAtomically(options.portFile(), Integer.toString(instance.port()));
        }
        var log = System.getLogger("flowhost.instance");
        log.log(
                System.Logger.Level.INFO,
                "service '" + instance.descriptor().service() + "' listening on " + options.host() + ":"
                        + instance.port() + (instance.onSocket() ? " and " + options.socket() : "")
                        + "; constructing "
                        + instance.descriptor().className());
        instance.construct();
        if (options.portFile() != null) {
            // The process driver learns of readiness from this file (no HTTP round trip in the cold start);
            // /readyz says the same to anyone else.
            var ready = options.portFile().resolveSibling(options.portFile().getFileName() + ".ready");
            writeAtomically(ready, new String(instance.readyReport(), StandardCharsets.UTF_8));
        }
        log.log(
                System.Logger.Level.INFO,
                "ready in " + (System.nanoTime() - started) / 1_000_000 + " ms since main; " + "endpoints "
                        + instance.descriptor().endpoints().stream()
                                .map(e -> e.method() + " " + e.name())
                                .toList());
        try {
            instance.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** When the parent dies its end of our stdin closes, even on SIGKILL: that is our cue to go. */
    private static void watchParent(InputStream stdin) {
        Thread.ofPlatform().daemon().name("parent-watch").start(() -> {
            try {
                while (stdin.read() >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException ignored) {
                // a broken pipe means the same thing as end of input
            }
            System.err.println("flowhost-instance: the server that started this instance is gone; exiting");
            dieNow();
        });
    }

    /**
     * Ends this JVM at once. Not by exiting, not even by {@code halt}: a JVM that is to write its class-data
     * archive at exit ({@code -XX:+AutoCreateSharedArchive}, the first instance of a deployment) spends seconds of
     * CPU writing it, just when the gateway that takes over starts instances of its own on this host.
     */
    private static void dieNow() {
        try {
            // A JVM cannot raise SIGKILL on itself (sun.misc.Signal refuses it): kill(1) can.
            new ProcessBuilder(
                            "kill",
                            "-KILL",
                            Long.toString(ProcessHandle.current().pid()))
                    .start()
                    .waitFor();
        } catch (IOException e) {
            // no kill(1) here: the ordinary way, archive and all
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(0);
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        var tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The command line, parsed.
     *
     * @param fetch where to fetch the jar from before anything else, or null when it is a local file
     */
    record Parsed(InstanceOptions options, boolean describe, Fetch fetch) {}

    /** A jar to fetch: from where, its SHA-256, and where it goes (the options' jar). */
    record Fetch(URI url, String sha256, Path target) {}

    /** Parses the command line; null means help was asked for. */
    static Parsed parse(String[] args) {
        Path jar = null;
        URI jarUrl = null;
        String jarSha256 = null;
        Path portFile = null;
        Path socket = null;
        String className = null;
        String host = "127.0.0.1";
        int port = 0;
        int maxBody = InstanceOptions.DEFAULT_MAX_BODY;
        boolean exitWithParent = false;
        boolean describe = false;
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> pins = new LinkedHashMap<>();
        String metaflowRoot = Datastore.rootFromEnvironment(System.getenv()).orElse(null);
        URI s3Endpoint = null;
        Path metadataRoot = null;
        String onnx = null;
        String name = null;
        var predictions = PredictionSettings.defaults();
        for (int i = 0; i < args.length; i++) {
            var arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--jar" -> jar = Path.of(value(args, ++i, arg));
                case "--jar-url" -> jarUrl = URI.create(value(args, ++i, arg));
                case "--jar-sha256" -> jarSha256 = value(args, ++i, arg);
                case "--class" -> className = value(args, ++i, arg);
                case "--host" -> host = value(args, ++i, arg);
                case "--port" -> port = integer(value(args, ++i, arg), arg);
                case "--port-file" -> portFile = Path.of(value(args, ++i, arg));
                case "--max-body" -> maxBody = integer(value(args, ++i, arg), arg);
                case "--socket" -> socket = Path.of(value(args, ++i, arg));
                case "--set" -> pair(value(args, ++i, arg), arg, settings);
                case "--pin" -> pair(value(args, ++i, arg), arg, pins);
                case "--metaflow-root" -> metaflowRoot = value(args, ++i, arg);
                case "--metaflow-s3-endpoint" -> s3Endpoint = URI.create(value(args, ++i, arg));
                case "--metaflow-metadata-root" -> metadataRoot = Path.of(value(args, ++i, arg));
                case "--onnx" -> onnx = value(args, ++i, arg);
                case "--name" -> name = value(args, ++i, arg);
                case "--deployment" -> predictions = predictions.withDeployment(value(args, ++i, arg));
                case "--prediction-sample-rate" ->
                    predictions = predictions.withSampleRate(decimal(value(args, ++i, arg), arg));
                case "--prediction-log-dir" -> predictions = predictions.withLogDir(Path.of(value(args, ++i, arg)));
                case "--exit-with-parent" -> exitWithParent = true;
                case "--describe" -> describe = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        Fetch fetch = null;
        if (jarUrl != null) {
            if (jar != null) {
                throw new IllegalArgumentException("--jar-url: give --jar or --jar-url, not both");
            }
            if (jarSha256 == null || !jarSha256.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(
                        "--jar-sha256: missing or not 64 hex digits; a fetched jar is run only if it is the one deployed");
            }
            jar = Path.of(System.getProperty("java.io.tmpdir"), "flowhost-jars", jarSha256.toLowerCase() + ".jar");
            fetch = new Fetch(jarUrl, jarSha256, jar);
        } else if (jarSha256 != null) {
            throw new IllegalArgumentException("--jar-sha256: goes with --jar-url");
        }
        var metaflow = metaflowRoot == null ? null : new DatastoreOptions(metaflowRoot, s3Endpoint, metadataRoot);
        return new Parsed(
                new InstanceOptions(
                        jar,
                        className,
                        host,
                        port,
                        portFile,
                        maxBody,
                        settings,
                        exitWithParent,
                        metaflow,
                        pins,
                        onnx,
                        name,
                        predictions,
                        socket),
                describe,
                fetch);
    }

    private static void pair(String pair, String option, Map<String, String> into) {
        int eq = pair.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException(option + ": '" + pair + "' (expected: key=value)");
        }
        into.put(pair.substring(0, eq), pair.substring(eq + 1));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + ": missing value");
        }
        return args[i];
    }

    private static double decimal(String value, String option) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' (expected: a number)");
        }
    }

    private static int integer(String value, String option) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + value + "' (expected: a whole number)");
        }
    }
}
