package io.flowhost.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * When each step of an instance's start happened, in epoch milliseconds, so that the server can
 * break a cold start down: the JVM started, main, the jar fetched (pods only), listening, constructor
 * start and end (the process driver knows when it spawned the process; the Kubernetes driver reads
 * when the pod was scheduled and its image pulled from the API).
 */
final class StartTimings {

    private final long main;
    private final long jarFetched;
    private final CompletableFuture<Long> jvm;
    private volatile long listening;
    private volatile long constructing;
    private volatile long constructed;

    /**
     * @param jarFetched when the service jar was fetched, or 0 when it was not (it was a local file)
     * @param reportJvmStart whether to report when the JVM started: for a platform that learns of readiness by
     *     probing (a pod), where nobody saw the process spawn; read from {@code /proc} beside the start rather
     *     than in its way
     */
    StartTimings(long mainStartedAt, long jarFetched, boolean reportJvmStart) {
        this.main = mainStartedAt;
        this.jarFetched = jarFetched;
        this.jvm = new CompletableFuture<>();
        if (reportJvmStart) {
            Thread.ofVirtual().name("jvm-start").start(() -> jvm.complete(jvmStartedAt()));
        }
    }

    void listening() {
        listening = System.currentTimeMillis();
    }

    void constructing() {
        constructing = System.currentTimeMillis();
    }

    void constructed() {
        constructed = System.currentTimeMillis();
    }

    Map<String, Long> asMap() {
        var out = new LinkedHashMap<String, Long>();
        var jvmStarted = jvm.getNow(null);
        if (jvmStarted != null) {
            out.put("jvm", jvmStarted);
        }
        out.put("main", main);
        if (jarFetched > 0) {
            out.put("jarFetched", jarFetched);
        }
        out.put("listening", listening);
        out.put("constructing", constructing);
        out.put("constructed", constructed);
        return out;
    }

    /**
     * When this process started, to 10 ms, or null off Linux: its start in clock ticks since boot ({@code
     * /proc/self/stat}) against the time since boot ({@code /proc/uptime}). Not {@code ProcessHandle}'s start
     * instant, which counts from a boot time in whole seconds, nor the runtime MXBean's, which starts late.
     */
    private static Long jvmStartedAt() {
        try {
            var stat = Files.readString(Path.of("/proc/self/stat"));
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(fields[19]); // starttime, the stat's 22nd field; USER_HZ is 100
            double uptime =
                    Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            return System.currentTimeMillis() - Math.round((uptime - startTicks / 100.0) * 1000);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
