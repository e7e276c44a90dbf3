package io.flowhost.instances.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.instance.ColdStart;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.InstanceStartException;
import io.flowhost.instances.InvalidServiceException;
import io.flowhost.instances.RunningInstance;
import io.flowhost.runtime.InstanceMain;
import io.flowhost.runtime.options.InstanceOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs instances as child JVMs on this machine. Each child watches its standard input, which the
 * server holds open: when the server dies, even by SIGKILL, the pipe closes and the child exits,
 * so no instance outlives its server.
 */
public final class ProcessDriver implements InstanceDriver {

    private static final System.Logger LOG = System.getLogger("flowhost.instances");

    /** How often a start looks for its instance's ready file: each look is a stat, each wait adds half of this. */
    private static final Duration POLL = Duration.ofMillis(1);

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** The first part of the cold-start breakdown of an instance that was a warm spare. */
    public static final String SPARE_HANDOFF = "spareHandoff";

    /** The first part of the cold-start breakdown of an instance that was the JVM started to check its jar. */
    public static final String CHECK_HANDOFF = "checkHandoff";

    private final ProcessSettings settings;
    private final JavaCommand java;
    private final ServiceInspector inspector;
    private final Path instancesDir;
    private final Set<ProcessInstance> running = ConcurrentHashMap.newKeySet();
    private final ObjectMapper json = new ObjectMapper();

    private final WarmSpares spares;
    private final CheckedJvms checked;

    private volatile String gateway;

    public ProcessDriver(ProcessSettings settings) {
        this.settings = settings;
        this.instancesDir = settings.dataDir().resolve("instances");
        this.java = JavaCommand.create(instancesDir, settings.instanceJvmOptions());
        this.inspector = new ServiceInspector(java);
        this.spares = new WarmSpares(settings.warmSpares(), java, instancesDir);
        this.checked = new CheckedJvms(spares);
    }

    /**
     * Tells the instances started from now on where their gateway is, for their services' table lookups; the warm
     * spares, if any, start now, with it in their environment.
     */
    public void gateway(String url) {
        this.gateway = url;
        spares.start(url);
    }

    /** Stops the warm spares: this driver starts no instances while its server does not lead. */
    public void stopSpares() {
        checked.discardAll();
        spares.close();
    }

    /** How many warm spares are idle now, ready to be handed a jar to check or a deployment. */
    int idleSpares() {
        return spares.idle();
    }

    /** Keeps warm spares again: its server leads again. */
    public void resumeSpares() {
        spares.resume();
    }

    /**
     * Checks the jar in the JVM that is to become the first instance of its deployment (a warm spare if one is idle);
     * that JVM waits for {@link #start} until {@link #settled}.
     */
    @Override
    public ServiceDescriptor describe(Path jar, String className) throws InvalidServiceException {
        return checked.check(jar, className, gateway);
    }

    @Override
    public void settled(Path jar) {
        checked.settle(jar);
    }

    /**
     * Checks the jar in a JVM that ends with the check: for a driver whose instances run elsewhere (pods), which has
     * no use for a JVM kept on this host.
     */
    public ServiceDescriptor inspect(Path jar, String className) throws InvalidServiceException {
        return inspector.describe(jar, className);
    }

    @Override
    public RunningInstance start(Deployment deployment, String instanceId) throws InstanceStartException {
        var dir = instancesDir.resolve(instanceId);
        var portFile = dir.resolve("port");
        var log = dir.resolve("instance.log");
        var url = gateway;
        keepPrevious(dir);
        var check = checked.take(deployment, url);
        var spare = check != null ? check.jvm() : spares.take(url);
        var origin = check != null && !check.warm() ? Origin.CHECK : spare != null ? Origin.SPARE : Origin.SPAWNED;
        var startedAt = Instant.now();
        long t0 = System.nanoTime();
        Launch launch = spare == null ? null : handOff(spare, deployment, dir, portFile, origin);
        if (launch == null) {
            launch = spawn(deployment, instanceId, dir, portFile, log, url);
        }
        var process = launch.process();
        try {
            var ready = awaitReady(
                    process, portFile, log, instanceId, deployment.scaling().startupTimeout());
            var total = Duration.ofNanos(System.nanoTime() - t0);
            var breakdown = ready.breakdown(launch, total);
            if (breakdown != null) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "cold start of " + instanceId + launch.origin().told + ": " + breakdown.describe());
            }
            var socket = socketOf(portFile);
            var instance = new ProcessInstance(
                    instanceId,
                    process,
                    new InetSocketAddress(settings.reachableHost(), ready.port()),
                    Files.exists(socket) ? socket : null, // bound before the port was written, if at all
                    startedAt,
                    total,
                    ready.pins(),
                    breakdown);
            running.add(instance);
            boolean spawned = launch.origin() == Origin.SPAWNED;
            instance.exited().whenComplete((code, error) -> {
                running.remove(instance);
                if (spawned) {
                    java.adoptAotCache(deployment.id(), dir);
                }
                var report = spawned
                        ? dir.resolve("hs_err_pid" + instance.pid() + ".log")
                        : spares.collectCrashReport(instance.pid(), dir);
                if (report != null && Files.exists(report)) {
                    LOG.log(System.Logger.Level.WARNING, "the JVM of " + instanceId + " crashed: see " + report);
                }
            });
            return instance;
        } catch (InstanceStartException e) {
            WarmSpares.kill(process); // gone before the caller hears, as if it had never started
            throw e;
        } finally {
            spares.refill(); // now that this start no longer needs the cores
        }
    }

    /** How an instance's process came to be. */
    private enum Origin {
        /** A JVM started for it. */
        SPAWNED(""),
        /** A warm spare handed its deployment (it may have checked the jar first). */
        SPARE(" (from a warm spare)"),
        /** The JVM started to check its jar, handed its deployment. */
        CHECK(" (from the JVM that checked its jar)");

        /** What the cold-start log line says of it. */
        final String told;

        Origin(String told) {
            this.told = told;
        }
    }

    /**
     * How an instance's process came to be.
     *
     * @param launchedAt when the driver spawned the JVM or wrote its deployment to a waiting one, epoch ms
     * @param execDone when the JDK returned from spawning it (it had exec'd java), epoch ms; else launchedAt
     */
    private record Launch(Process process, Origin origin, long launchedAt, long execDone) {}

    private Launch spawn(Deployment deployment, String instanceId, Path dir, Path portFile, Path log, String url)
            throws InstanceStartException {
        long spawnedAt = System.currentTimeMillis();
        try {
            Files.createDirectories(dir);
            clearReadiness(portFile);
            var builder = new ProcessBuilder(java.command(
                            deployment.id(), dir, InstanceMain.class.getName(), arguments(deployment, portFile)))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (url != null) {
                builder.environment().put(InstanceOptions.GATEWAY_VARIABLE, url);
            }
            var process = builder.start();
            return new Launch(process, Origin.SPAWNED, spawnedAt, System.currentTimeMillis());
        } catch (IOException e) {
            throw new InstanceStartException("cannot start a JVM for " + instanceId + ": " + e.getMessage());
        }
    }

    /**
     * Hands a warm spare the deployment: its folder becomes the instance's (the log it has written so far kept), and
     * it reads the instance's arguments from the pipe on its standard input. Null when the spare cannot take it (it
     * died since it was checked): the caller spawns a JVM instead.
     */
    private Launch handOff(WarmSpares.Spare spare, Deployment deployment, Path dir, Path portFile, Origin origin) {
        try {
            Files.move(spare.dir(), dir, StandardCopyOption.ATOMIC_MOVE);
            clearReadiness(portFile);
            long handedAt = System.currentTimeMillis();
            var pipe = spare.process().getOutputStream();
            pipe.write(json.writeValueAsBytes(arguments(deployment, portFile)));
            pipe.write('\n');
            pipe.flush();
            return new Launch(spare.process(), origin, handedAt, handedAt);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "a warm spare could not take " + dir.getFileName() + ": " + e);
            WarmSpares.kill(spare.process());
            return null;
        }
    }

    /**
     * An instance of this id ran before (a supervisor counts from 1 again after a restart): its folder is kept as
     * {@code <id>.previous}, replacing an older one, so that its log and any crash report outlive the restart, and
     * nothing of it (a served marker, a class cache half recorded) is taken for the new instance's.
     */
    private static void keepPrevious(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        var previous = dir.resolveSibling(dir.getFileName() + ".previous");
        WarmSpares.deleteTree(previous);
        try {
            Files.move(dir, previous, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep " + dir + " as " + previous + ", removing it: " + e);
            WarmSpares.deleteTree(dir);
        }
    }

    /**
     * The Unix socket an instance takes calls on beside its port, in its own folder: the gateway reaches it there
     * with less work per call than over loopback TCP (docs/benchmarks.md).
     */
    private static Path socketOf(Path portFile) {
        return portFile.resolveSibling("socket");
    }

    /**
     * The server's system property that, set to {@code true}, leaves instances on TCP alone, as before they had
     * sockets: to compare the two, or to watch calls on loopback.
     */
    static final String TCP_ONLY = "flowhost.instances.tcpOnly";

    private static void clearReadiness(Path portFile) throws IOException {
        Files.deleteIfExists(portFile);
        Files.deleteIfExists(portFile.resolveSibling(portFile.getFileName() + ".ready"));
    }

    private List<String> arguments(Deployment deployment, Path portFile) {
        var args = new ArrayList<String>();
        if (deployment.servesOnnx()) {
            args.addAll(List.of("--onnx", deployment.model(), "--name", deployment.service()));
        } else {
            args.addAll(List.of(
                    "--jar",
                    deployment.jar().toString(),
                    "--class",
                    deployment.descriptor().className()));
        }
        args.addAll(List.of(
                "--host",
                settings.bindHost(),
                "--port",
                "0",
                "--port-file",
                portFile.toString(),
                "--max-body",
                Integer.toString(settings.maxBody()),
                "--exit-with-parent"));
        var socket = socketOf(portFile);
        if (Boolean.getBoolean(TCP_ONLY)) {
            LOG.log(System.Logger.Level.DEBUG, "no Unix socket for " + portFile.getParent() + ": -D" + TCP_ONLY);
        } else if (InstanceOptions.fitsASocketAddress(socket)) {
            args.addAll(List.of("--socket", socket.toString()));
        } else {
            // A data dir this deep leaves its instances on TCP alone: they still work, a little less cheaply.
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "no Unix socket for " + portFile.getParent() + ": its path is too long for one");
        }
        var metaflow = settings.metaflow();
        if (metaflow != null) {
            args.addAll(List.of("--metaflow-root", metaflow.root()));
            if (metaflow.s3Endpoint() != null) {
                args.addAll(
                        List.of("--metaflow-s3-endpoint", metaflow.s3Endpoint().toString()));
            }
            if (metaflow.metadataRoot() != null) {
                args.addAll(List.of(
                        "--metaflow-metadata-root", metaflow.metadataRoot().toString()));
            }
        }
        args.addAll(List.of("--deployment", deployment.id()));
        var sampleRate = deployment.settings().get(Deployment.PREDICTION_SAMPLE_RATE);
        if (sampleRate != null && Double.parseDouble(sampleRate) > 0) {
            // Predictions go to JSON Lines files a training flow can read back, one folder per deployment.
            args.addAll(List.of(
                    "--prediction-sample-rate",
                    sampleRate,
                    "--prediction-log-dir",
                    settings.dataDir()
                            .resolve("predictions")
                            .resolve(deployment.id())
                            .toString()));
        }
        deployment.pins().forEach((key, run) -> args.addAll(List.of("--pin", key + "=" + run)));
        deployment.settings().forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
        return args;
    }

    /** Where a ready instance listens, the Metaflow runs it resolved {@code latest} to, and its start timings. */
    private record Ready(int port, Map<String, String> pins, Map<String, Long> timings) {

        /** The cold start broken down from the instance's own timestamps, or null if it did not report them. */
        ColdStart breakdown(Launch launch, Duration total) {
            var need = List.of("main", "listening", "constructing", "constructed");
            if (!timings.keySet().containsAll(need)) {
                return null;
            }
            long readyAt = launch.launchedAt() + total.toMillis();
            var parts = new ArrayList<ColdStart.Part>();
            if (launch.origin() != Origin.SPAWNED) {
                // A waiting JVM's main resumes when it reads its deployment: until then it warmed up, checked or
                // waited.
                parts.add(new ColdStart.Part(
                        launch.origin() == Origin.SPARE ? SPARE_HANDOFF : CHECK_HANDOFF,
                        launch.origin() == Origin.SPARE
                                ? "handoff to a warm spare"
                                : "handoff to the JVM that checked it",
                        ms(timings.get("main") - launch.launchedAt())));
            } else {
                parts.add(new ColdStart.Part("processStart", "process", ms(launch.execDone() - launch.launchedAt())));
                parts.add(new ColdStart.Part("jvmToMain", "JVM to main", ms(timings.get("main") - launch.execDone())));
            }
            parts.add(new ColdStart.Part("listening", "listening", ms(timings.get("listening") - timings.get("main"))));
            parts.add(new ColdStart.Part(
                    "constructor", "constructor", ms(timings.get("constructed") - timings.get("constructing"))));
            parts.add(new ColdStart.Part("readiness", "readiness", ms(readyAt - timings.get("constructed"))));
            return new ColdStart(parts, total);
        }

        private static Duration ms(long millis) {
            return Duration.ofMillis(Math.max(0, millis));
        }
    }

    private Ready awaitReady(Process process, Path portFile, Path log, String instanceId, Duration startupTimeout)
            throws InstanceStartException {
        var readyFile = portFile.resolveSibling(portFile.getFileName() + ".ready");
        var deadline = System.nanoTime() + startupTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            var ready = readyReport(portFile, readyFile);
            if (ready != null) {
                return ready;
            }
            if (!process.isAlive()) {
                throw new InstanceStartException(instanceId + " exited with code " + process.exitValue()
                        + " before it was ready: " + reason(log));
            }
            sleep();
        }
        throw new InstanceStartException(instanceId + " was not ready within " + startupTimeout.toSeconds()
                + " s (raise the deployment's startup-timeout if the model takes longer to load); its log: " + log);
    }

    /**
     * What a ready instance wrote beside its port file: the /readyz report, with the Metaflow runs it
     * pinned and its start timings; null while it is not ready. A file, not an HTTP probe, so that
     * noticing readiness costs a stat a millisecond instead of a request.
     */
    private Ready readyReport(Path portFile, Path readyFile) {
        if (!Files.exists(readyFile)) {
            return null;
        }
        int port = readPort(portFile);
        if (port <= 0) {
            return null;
        }
        try {
            var body = json.readTree(Files.readAllBytes(readyFile));
            var pins = new TreeMap<String, String>();
            body.path("pins")
                    .fields()
                    .forEachRemaining(e -> pins.put(e.getKey(), e.getValue().asText()));
            var timings = new TreeMap<String, Long>();
            body.path("timings")
                    .fields()
                    .forEachRemaining(e -> timings.put(e.getKey(), e.getValue().asLong()));
            return new Ready(port, pins, timings);
        } catch (IOException e) {
            return null;
        }
    }

    private static int readPort(Path portFile) {
        try {
            return Files.exists(portFile)
                    ? Integer.parseInt(Files.readString(portFile).strip())
                    : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The instance's own explanation: its "cannot serve" line if it wrote one, else the end of its log. */
    static String reason(Path log) {
        return reason(log, true);
    }

    /** {@link #reason(Path)}, pointing to the whole log only if it is kept. */
    static String reason(Path log, boolean kept) {
        var tail = tail(log, 8192);
        for (var line : tail.split("\n")) {
            int at = line.indexOf("flowhost-instance: cannot serve: ");
            if (at >= 0) {
                return line.substring(at + "flowhost-instance: cannot serve: ".length())
                        .strip();
            }
        }
        var lines = tail.strip().split("\n");
        var last = String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 10), lines.length));
        if (last.isBlank()) {
            return "it wrote nothing to its log" + (kept ? " " + log : "");
        }
        return kept ? last + "\n(full log: " + log + ")" : last;
    }

    private static String tail(Path file, int bytes) {
        try (var raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, raf.length() - bytes);
            var buffer = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(buffer);
            return new String(buffer, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        checked.discardAll();
        spares.close();
        for (var instance : List.copyOf(running)) {
            Thread.ofVirtual().start(() -> instance.stop(STOP_GRACE));
        }
        for (var instance : List.copyOf(running)) {
            instance.exited()
                    .orTimeout(STOP_GRACE.toSeconds() + 5, TimeUnit.SECONDS)
                    .exceptionally(e -> {
                        instance.kill();
                        return -1;
                    })
                    .join();
        }
    }
}
