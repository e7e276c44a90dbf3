package io.flowhost.instances;

import io.flowhost.domain.instance.ColdStart;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One instance that an {@link InstanceDriver} started and that became ready. */
public interface RunningInstance {

    /** The instance id, unique on this server, e.g. {@code iris-v2-1}. */
    String id();

    /** Where the gateway sends its calls. */
    InetSocketAddress address();

    /** A Unix socket on this host it takes calls on too, cheaper for the gateway beside it than TCP, or null. */
    default Path socket() {
        return null;
    }

    /** The operating-system process id, or -1 where there is none (a pod). */
    long pid();

    /** When the driver started it. */
    Instant startedAt();

    /** How long it took from start to ready. */
    Duration coldStart();

    /** Where that time went, or null when the instance did not report its timings. */
    ColdStart coldStartBreakdown();

    /** The Metaflow runs its {@code latest} references resolved to ({@code Flow} → run id), as it reported when ready. */
    Map<String, String> pins();

    /** Completes with the exit code when the instance is gone, whether stopped or crashed. */
    CompletableFuture<Integer> exited();

    /** Stops the instance: asks it to finish its calls, and kills it after the grace period. */
    void stop(Duration grace);
}
