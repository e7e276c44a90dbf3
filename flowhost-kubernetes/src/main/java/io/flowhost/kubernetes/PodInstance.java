package io.flowhost.kubernetes;

import io.flowhost.domain.instance.ColdStart;
import io.flowhost.instances.RunningInstance;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** An instance running as a pod the driver created and watches. */
final class PodInstance implements RunningInstance {

    private final String id;
    private final String podName;
    private final InetSocketAddress address;
    private final Instant startedAt;
    private final Duration coldStart;
    private final Map<String, String> pins;
    private final CompletableFuture<ColdStart> breakdown;
    private final CompletableFuture<Integer> exited;
    private final BiConsumer<String, Duration> delete;

    PodInstance(
            String id,
            String podName,
            InetSocketAddress address,
            Instant startedAt,
            Duration coldStart,
            Map<String, String> pins,
            CompletableFuture<ColdStart> breakdown,
            CompletableFuture<Integer> exited,
            BiConsumer<String, Duration> delete) {
        this.id = id;
        this.podName = podName;
        this.address = address;
        this.startedAt = startedAt;
        this.coldStart = coldStart;
        this.pins = Map.copyOf(pins);
        this.breakdown = breakdown;
        this.exited = exited;
        this.delete = delete;
    }

    /** The pod's name: the instance id and a suffix, since a new leader counts instance ids from 1 again. */
    String podName() {
        return podName;
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
    public long pid() {
        return -1;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public Duration coldStart() {
        return coldStart;
    }

    /** The start's parts once read from the pod's status and events (a moment after it is ready), else null. */
    @Override
    public ColdStart coldStartBreakdown() {
        return breakdown.getNow(null);
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
        delete.accept(podName, grace);
    }
}
