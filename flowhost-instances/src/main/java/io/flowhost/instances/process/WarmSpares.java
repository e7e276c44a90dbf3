package io.flowhost.instances.process;

import io.flowhost.runtime.InstanceMain;
import io.flowhost.runtime.options.InstanceOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Instance JVMs started ahead of need, warm and waiting to be handed a deployment: the runtime loaded, its HTTP and
 * JSON code compiled, no service. Each is used once (it becomes one instance of one deployment, so no two deployments
 * ever share a JVM), and a new one is started in the background for the next start.
 */
final class WarmSpares implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.instances");

    /** A spare's folder name begins with this; an instance's never does (its id begins with its service's name). */
    private static final String PREFIX = ".spare-";

    /** Where spares' JVM crash reports are written, until the driver moves one into its instance's folder. */
    private static final String CRASH_REPORTS = ".crash-reports";

    /** How long a kill waits for the JVM to be gone: a killed process exits at once, even on a busy host. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    /**
     * A spare JVM.
     *
     * @param dir its folder: its log, and once handed a deployment, renamed to be its instance's folder
     * @param gateway the gateway URL in its environment, or null
     */
    record Spare(Process process, Path dir, String gateway) {}

    private final int count;
    private final JavaCommand java;
    private final Path instancesDir;
    private final Deque<Spare> idle = new ArrayDeque<>();
    private final AtomicLong serial = new AtomicLong();
    private int starting;
    private boolean closed;
    private String gateway;

    WarmSpares(int count, JavaCommand java, Path instancesDir) {
        this.count = count;
        this.java = java;
        this.instancesDir = instancesDir;
        removeLeftovers();
    }

    /** Keeps {@code count} spares from now on, with this gateway URL in their environment. */
    void start(String gatewayUrl) {
        synchronized (this) {
            gateway = gatewayUrl;
        }
        refill();
    }

    /** How many spares are idle (started, perhaps still warming up) and not yet taken. */
    synchronized int idle() {
        return idle.size();
    }

    /** A live spare whose environment names this gateway, taken out of the pool, or null when there is none. */
    Spare take(String gatewayUrl) {
        Spare found = null;
        var stale = new ArrayList<Spare>();
        synchronized (this) {
            while (found == null && !idle.isEmpty()) {
                var spare = idle.poll();
                if (spare.process().isAlive() && Objects.equals(spare.gateway(), gatewayUrl)) {
                    found = spare;
                } else {
                    stale.add(spare);
                }
            }
        }
        stale.forEach(WarmSpares::discard);
        return found;
    }

    /**
     * Starts spares until {@code count} are idle or starting; the JVMs start on their own threads. Called once the
     * instance a spare became is ready: a new spare's warm-up (a second of both cores here) would otherwise compete
     * with that instance's constructor, in the middle of the cold start it is there to shorten.
     */
    void refill() {
        int wanted;
        String url;
        synchronized (this) {
            if (closed) {
                return;
            }
            wanted = count - idle.size() - starting;
            starting += Math.max(0, wanted);
            url = gateway;
        }
        for (int i = 0; i < wanted; i++) {
            Thread.ofVirtual().name("warm-spare-start").start(() -> spawn(url));
        }
    }

    private void spawn(String url) {
        try {
            var spare = isClosed() ? null : launch(url);
            boolean keep;
            synchronized (this) {
                keep = spare != null && !closed;
                if (keep) {
                    idle.add(spare);
                }
            }
            if (!keep && spare != null) {
                discard(spare);
            }
        } finally {
            synchronized (this) {
                starting--; // only now: a close waits for this, so that nothing of a spare outlives the close
                notifyAll();
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Starts a spare JVM in a folder of its own, or returns null when it cannot (instances then start cold). */
    private Spare launch(String url) {
        try {
            return launch(
                    url,
                    crashReports ->
                            java.spareCommand(crashReports, InstanceMain.class.getName(), List.of(InstanceMain.SPARE)));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot start a warm spare (instances start cold): " + e);
            return null;
        }
    }

    /**
     * Starts a JVM like a spare but without its warm-up, for a jar to check at once, after which it becomes the
     * deployment's first instance; it is not kept among the spares.
     */
    Spare launchForCheck(String url) throws IOException {
        return launch(
                url,
                crashReports ->
                        java.checkCommand(crashReports, InstanceMain.class.getName(), List.of(InstanceMain.CHECK)));
    }

    private Spare launch(String url, Function<Path, List<String>> command) throws IOException {
        var dir = instancesDir.resolve(PREFIX + ProcessHandle.current().pid() + "-" + serial.incrementAndGet());
        Files.createDirectories(dir);
        var crashReports = Files.createDirectories(instancesDir.resolve(CRASH_REPORTS));
        var builder = new ProcessBuilder(command.apply(crashReports))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("instance.log").toFile()));
        if (url != null) {
            builder.environment().put(InstanceOptions.GATEWAY_VARIABLE, url);
        }
        return new Spare(builder.start(), dir, url);
    }

    /**
     * Moves the JVM crash report of an instance that was a spare, if it wrote one, into its instance's folder, beside
     * its log, where an instance started for itself writes it; returns where it now is, or null.
     */
    Path collectCrashReport(long pid, Path instanceDir) {
        var report = instancesDir.resolve(CRASH_REPORTS).resolve("hs_err_pid" + pid + ".log");
        if (!Files.exists(report)) {
            return null;
        }
        var kept = instanceDir.resolve(report.getFileName());
        try {
            return Files.move(report, kept, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot move the crash report " + report + " to " + kept + ": " + e);
            return report;
        }
    }

    /** Kills a spare and removes its folder, once its JVM is gone (a live one could still write its log there). */
    static void discard(Spare spare) {
        kill(spare.process());
        deleteTree(spare.dir());
    }

    /** Kills a JVM and waits for it to be gone, so that nothing of it writes into its folder after this returns. */
    static void kill(Process process) {
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "the killed JVM " + process.pid() + " has not exited yet");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Folders of spares that a server before this one left behind when it was killed. */
    private void removeLeftovers() {
        try (var dirs = Files.list(instancesDir)) {
            dirs.filter(d -> d.getFileName().toString().startsWith(PREFIX)).forEach(WarmSpares::deleteTree);
        } catch (IOException e) {
            // no instances folder yet: nothing left behind
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // gone already, or a file still held open: nothing worth stopping for
        }
    }

    /** Keeps spares again after {@link #close} (its server leads again). */
    void resume() {
        synchronized (this) {
            closed = false;
        }
        refill();
    }

    /**
     * Stops the idle spares and waits for those being started to be stopped too, so that when this returns no spare
     * runs and none has a folder; none start after this, until {@link #resume}.
     */
    @Override
    public void close() {
        List<Spare> spares;
        synchronized (this) {
            closed = true;
            spares = List.copyOf(idle);
            idle.clear();
        }
        spares.forEach(WarmSpares::discard);
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        synchronized (this) {
            try {
                long left;
                while (starting > 0 && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
