package io.flowhost.instances.process;

import io.flowhost.domain.instance.ColdStart;
import io.flowhost.instances.RunningInstance;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An instance running as a child JVM of the server. */
final class ProcessInstance implements RunningInstance {

    private final String id;
    private final Process process;
    private final InetSocketAddress address;
    private final Path socket;
    private final Instant startedAt;
    private final Duration coldStart;
    private final CompletableFuture<Integer> exited;
    private final Map<String, String> pins;
    private final ColdStart breakdown;

    ProcessInstance(
            String id,
            Process process,
            InetSocketAddress address,
            Path socket,
            Instant startedAt,
            Duration coldStart,
            Map<String, String> pins,
            ColdStart breakdown) {
        this.pins = Map.copyOf(pins);
        this.breakdown = breakdown;
        this.id = id;
        this.process = process;
        this.address = address;
        this.socket = socket;
        this.startedAt = startedAt;
        this.coldStart = coldStart;
        this.exited = process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public Path socket() {
        return socket;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public Duration coldStart() {
        return coldStart;
    }

    @Override
    public ColdStart coldStartBreakdown() {
        return breakdown;
    }

    @Override
    public Map<String, String> pins() {
        return pins;
    }

    @Override
    public CompletableFuture<Integer> exited() {
        return exited;
    }

    @Override
    public void stop(Duration grace) {
        // SIGTERM runs the instance's shutdown hook, which lets calls in progress answer. Sent through the process's
        // handle: Process.destroy() also closes the instance's standard input, which the instance takes for its
        // server's death and answers by killing itself at once, cutting those calls (and its class cache) short.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    void kill() {
        process.destroyForcibly();
    }
}
