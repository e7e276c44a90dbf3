package io.flowhost.state.sqlite;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.Submitted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real request store in a fresh SQLite file for each test, with a manual clock and a few ways to make calls. */
final class TempStore implements BeforeEachCallback, AfterEachCallback {

    private final AtomicInteger counter = new AtomicInteger();
    private Path dir;
    private RequestStore store;
    private ManualClock clock;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("flowhost-queue-test");
        clock = new ManualClock();
        store = RequestStore.open(file());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RequestStore store() {
        return store;
    }

    ManualClock clock() {
        return clock;
    }

    Path file() {
        return dir.resolve("requests.db");
    }

    /** Closes the store and opens the same file again, as a restarted server would. */
    RequestStore reopen() {
        store.close();
        store = RequestStore.open(file());
        return store;
    }

    /** A call to echo/echo on the deployment, with a body unique to it. */
    NewRequest call(String deploymentId) {
        return call(deploymentId, "echo", null);
    }

    /** A call to echo/{endpoint} on the deployment, with an idempotency key (or null). */
    NewRequest call(String deploymentId, String endpoint, String idempotencyKey) {
        var n = counter.incrementAndGet();
        return new NewRequest(
                deploymentId,
                "echo",
                endpoint,
                "application/json",
                ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8),
                "req-" + n,
                idempotencyKey,
                null);
    }

    /** Submits with the default retention at the clock's time and waits for the commit. */
    AsyncRequest submit(NewRequest request) {
        return submit(request, Retention.defaults()).request();
    }

    /** Submits at the clock's time and waits for the commit. */
    Submitted submit(NewRequest request, Retention retention) {
        return store.submit(request, retention, clock.instant()).join();
    }
}
