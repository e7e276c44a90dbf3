package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.IdempotencyKeyReusedException;
import io.flowhost.domain.request.Submitted;
import io.flowhost.state.RequestStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

public abstract class ConcurrentSubmitContract {

    /** The store under test, opened in {@code place} (again, after {@link TempStore#reopen}). */
    protected abstract RequestStore open(Path place);

    private static final int THREADS = 32;
    private static final int EACH = 500;

    @RegisterExtension
    final TempStore temp = new TempStore(this::open);

    @Test
    void everySubmissionFromManyThreadsIsAcknowledgedAndStoredExactlyOnce() throws Exception {
        var acknowledged = ConcurrentHashMap.<String>newKeySet();
        var start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(THREADS)) {
            var futures = new ArrayList<CompletableFuture<?>>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(CompletableFuture.runAsync(
                        () -> {
                            await(start);
                            var pending = new ArrayList<CompletableFuture<Submitted>>();
                            for (int i = 0; i < EACH; i++) {
                                var f = temp.store()
                                        .submit(
                                                temp.call("echo-v1"),
                                                Retention.defaults(),
                                                temp.clock().instant());
                                pending.add(f);
                                if (pending.size() == 8) { // a few in flight per thread, as a busy gateway has
                                    pending.forEach(p ->
                                            acknowledged.add(p.join().request().id()));
                                    pending.clear();
                                }
                            }
                            pending.forEach(
                                    p -> acknowledged.add(p.join().request().id()));
                        },
                        pool));
            }
            start.countDown();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        }

        assertThat(acknowledged).hasSize(THREADS * EACH);
        assertThat(temp.store().queued("echo-v1")).isEqualTo(THREADS * EACH);
        for (var id : acknowledged) {
            assertThat(temp.store().get(id)).as(id).isPresent();
        }
    }

    @Test
    void concurrentSubmissionsWithOneIdempotencyKeyStoreOneRequest() {
        var futures = new ArrayList<CompletableFuture<Submitted>>();
        for (int i = 0; i < 200; i++) {
            futures.add(temp.store()
                    .submit(
                            temp.call("echo-v1", "echo", "same-key"),
                            Retention.defaults(),
                            temp.clock().instant()));
        }
        var results = futures.stream().map(CompletableFuture::join).toList();

        assertThat(results.stream().map(s -> s.request().id()).distinct()).hasSize(1);
        assertThat(results.stream().filter(s -> !s.duplicate())).hasSize(1);
        assertThat(temp.store().queued("echo-v1")).isEqualTo(1);
    }

    @Test
    void concurrentSubmissionsWithOneKeyAndTwoBodiesStoreOneAndRefuseEveryOtherBody() {
        var futures = new ArrayList<CompletableFuture<Submitted>>();
        var bodies = new ArrayList<String>();
        for (int i = 0; i < 200; i++) {
            var body = i % 2 == 0 ? "{\"order\":7}" : "{\"order\":8}";
            bodies.add(body);
            futures.add(temp.store()
                    .submit(
                            temp.call("echo-v1", "echo", "contested", body),
                            Retention.defaults(),
                            temp.clock().instant()));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .exceptionally(t -> null)
                .join();

        var stored = temp.store().list("echo", Set.of(), 10);
        assertThat(stored).hasSize(1);
        var winner = new String(stored.getFirst().body(), StandardCharsets.UTF_8);
        for (int i = 0; i < futures.size(); i++) {
            var future = futures.get(i);
            if (bodies.get(i).equals(winner)) {
                assertThat(future.join().request().id())
                        .isEqualTo(stored.getFirst().id());
            } else {
                assertThat(future)
                        .failsWithin(Duration.ZERO)
                        .withThrowableOfType(ExecutionException.class)
                        .havingCause()
                        .isInstanceOf(IdempotencyKeyReusedException.class);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
