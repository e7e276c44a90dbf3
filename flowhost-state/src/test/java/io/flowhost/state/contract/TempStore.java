package io.flowhost.state.contract;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.Submitted;
import io.flowhost.state.RequestStore;
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

/**
 * A real request store, fresh for each test, with a manual clock and a few ways to make calls: opened by the
 * implementation under test in a place of its own (a temporary directory; a store that keeps its data elsewhere
 * uses it as a unique name), and opened again in the same place by {@link #reopen()}.
 */
public final class TempStore implements BeforeEachCallback, AfterEachCallback {

    /** Opens the implementation's store in a place. */
    @FunctionalInterface
    public interface Opener {
        RequestStore open(Path place);
    }

    private final Opener opener;

    private final AtomicInteger counter = new AtomicInteger();

    public TempStore(Opener opener) {
        this.opener = opener;
    }

    private Path dir;
    private RequestStore store;
    private ManualClock clock;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("flowhost-queue-test");
        clock = new ManualClock();
        store = opener.open(dir);
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

    public RequestStore store() {
        return store;
    }

    public ManualClock clock() {
        return clock;
    }

    /** Where the store under test keeps its data. */
    public Path place() {
        return dir;
    }

    /** Closes the store and opens the same file again, as a restarted server would. */
    public RequestStore reopen() {
        store.close();
        store = opener.open(dir);
        return store;
    }

    /** A call to echo/echo on the deployment, with a body unique to it. */
    public NewRequest call(String deploymentId) {
        return call(deploymentId, "echo", null);
    }

    /**
     * A call to echo/{endpoint} on the deployment, with an idempotency key (or null): with a key, the same call each
     * time (as a caller's retry sends it), without one, a body unique to it.
     */
    public NewRequest call(String deploymentId, String endpoint, String idempotencyKey) {
        return call(deploymentId, endpoint, idempotencyKey, idempotencyKey == null ? null : "{\"order\":7}");
    }

    /** A call to echo/{endpoint} on the deployment with an idempotency key (or null) and a body (or null: unique). */
    public NewRequest call(String deploymentId, String endpoint, String idempotencyKey, String body) {
        var n = counter.incrementAndGet();
        return new NewRequest(
                deploymentId,
                "echo",
                endpoint,
                "application/json",
                (body == null ? "{\"n\":" + n + "}" : body).getBytes(StandardCharsets.UTF_8),
                "req-" + n,
                idempotencyKey,
                null);
    }

    /** Submits with the default retention at the clock's time and waits for the commit. */
    public AsyncRequest submit(NewRequest request) {
        return submit(request, Retention.defaults()).request();
    }

    /** Submits at the clock's time and waits for the commit. */
    public Submitted submit(NewRequest request, Retention retention) {
        return store.submit(request, retention, clock.instant()).join();
    }
}
