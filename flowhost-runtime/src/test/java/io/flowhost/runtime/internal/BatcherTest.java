package io.flowhost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.sdk.Batch;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batching in one instance: the real binder, the real batcher, callers on their own virtual threads. */
class BatcherTest {

    public record Num(int n) {}

    /** Squares numbers a batch at a time; a negative one is refused alone, 13 fails its whole batch. */
    @Service(name = "squares")
    public static class Squares {

        /** Holds the first batch until opened, so that the test can queue calls behind it. */
        final CountDownLatch gate = new CountDownLatch(1);

        final List<Integer> sizes = new ArrayList<>();

        @Endpoint(value = "square", batch = @Batch(maxSize = 4, maxDelay = "1s"))
        public List<Object> square(List<Num> items) throws InterruptedException {
            synchronized (sizes) {
                sizes.add(items.size());
            }
            if (items.getFirst().n() == 1000) {
                gate.await(60, TimeUnit.SECONDS);
            }
            var out = new ArrayList<Object>();
            for (var item : items) {
                if (item.n() == 13) {
                    throw new IllegalStateException("unlucky");
                }
                out.add(
                        item.n() < 0
                                ? new CallRejectedException(422, item.n() + " has no real square root to offer")
                                : (Object) (item.n() * item.n()));
            }
            return out;
        }

        /** Answers one item whatever the batch holds: wrong for a batch of two or more. */
        @Endpoint(value = "short", batch = @Batch(maxSize = 4))
        public List<Integer> shortAnswer(List<Num> items) throws InterruptedException {
            synchronized (sizes) {
                sizes.add(items.size());
            }
            if (items.getFirst().n() == 1000) {
                gate.await(60, TimeUnit.SECONDS);
            }
            return List.of(1);
        }
    }

    @Service(name = "bad")
    public static class NotAList {
        @Endpoint(value = "x", batch = @Batch(maxSize = 8))
        public List<Integer> x(Num one) {
            return List.of();
        }
    }

    @Service(name = "bad")
    public static class TooBig {
        @Endpoint(value = "x", batch = @Batch(maxSize = 5000))
        public List<Integer> x(List<Num> items) {
            return List.of();
        }
    }

    @Service(name = "bad")
    public static class SlowDelay {
        @Endpoint(value = "x", batch = @Batch(maxSize = 8, maxDelay = "2s"))
        public List<Integer> x(List<Num> items) {
            return List.of();
        }
    }

    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private final Squares service = new Squares();
    private final Batcher batcher = Batcher.of(bound("square"), service);

    private static EndpointBinding bound(String endpoint) {
        try {
            return new ServiceBinder(Json.mapper()).bind(Squares.class).endpoint(endpoint);
        } catch (ServiceDefinitionException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    private Future<Batcher.Outcome> call(int n) {
        return call(batcher, n);
    }

    private Future<Batcher.Outcome> call(Batcher to, int n) {
        return callers.submit(() -> to.call(new Num(n)));
    }

    private List<Batcher.Outcome> queuedBehindAHeldBatch(int... numbers) throws Exception {
        return queuedBehindAHeldBatch(batcher, numbers);
    }

    /** Holds the batcher on a first batch of one, queues the given calls behind it, then lets it go. */
    private List<Batcher.Outcome> queuedBehindAHeldBatch(Batcher to, int... numbers) throws Exception {
        var held = call(to, 1000);
        await().atMost(Duration.ofSeconds(30)).until(() -> service.sizes.size() == 1);
        var queued = new ArrayList<Future<Batcher.Outcome>>();
        for (int n : numbers) {
            queued.add(call(to, n));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> to.waiting() == numbers.length);
        service.gate.countDown();
        assertThat(held.get(60, TimeUnit.SECONDS).failure()).isNull();
        var out = new ArrayList<Batcher.Outcome>();
        for (var f : queued) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void aLoneCallRunsAtOnceWithoutWaitingForTheDelay() throws Exception {
        service.gate.countDown();
        var outcome = call(7).get(60, TimeUnit.SECONDS);

        assertThat(outcome.value()).isEqualTo(49);
        assertThat(outcome.size()).isEqualTo(1);
        assertThat(Duration.ofNanos(outcome.queuedNanos()))
                .as("the delay is 1 s; a lone call does not wait for it")
                .isLessThan(Duration.ofMillis(500));
    }

    @Test
    void waitingCallsGoInBatchesOfAtMostTheSizeEachGettingItsOwnAnswer() throws Exception {
        var outcomes = queuedBehindAHeldBatch(2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

        assertThat(outcomes).extracting(Batcher.Outcome::value).containsExactly(4, 9, 16, 25, 36, 49, 64, 81, 100, 121);
        assertThat(service.sizes).containsExactly(1, 4, 4, 2);
        // which call went in which batch depends on the order their threads queued them, not the order they began
        assertThat(outcomes).extracting(Batcher.Outcome::size).containsExactlyInAnyOrder(4, 4, 4, 4, 4, 4, 4, 4, 2, 2);
    }

    @Test
    void aRefusedItemFailsAloneAndAThrowFailsItsWholeBatchWithOneErrorId() throws Exception {
        var refused = queuedBehindAHeldBatch(2, -4, 3);
        assertThat(refused.get(0).value()).isEqualTo(4);
        assertThat(refused.get(1).failure())
                .isInstanceOf(CallRejectedException.class)
                .hasMessage("-4 has no real square root to offer");
        assertThat(refused.get(2).value()).isEqualTo(9);
    }

    @Test
    void aThrownExceptionFailsEveryCallOfItsBatchWithTheSameErrorId() throws Exception {
        var thrown = queuedBehindAHeldBatch(2, 13, 3);

        assertThat(thrown).allSatisfy(o -> assertThat(o.failure()).hasMessage("unlucky"));
        assertThat(thrown)
                .extracting(Batcher.Outcome::errorId)
                .doesNotContainNull()
                .containsOnly(thrown.getFirst().errorId());
    }

    @Test
    void aListOfTheWrongLengthFailsTheBatchSayingSo() throws Exception {
        var shortOne = Batcher.of(bound("short"), service);

        var outcomes = queuedBehindAHeldBatch(shortOne, 1, 2);

        assertThat(outcomes)
                .allSatisfy(o -> assertThat(o.failure())
                        .hasMessage("batched endpoint 'short' returned 1 answers for 2 items: it must return one"
                                + " answer per item, in their order"));
    }

    @Test
    void batchingMistakesAreRefusedWhenTheServiceIsBound() {
        var binder = new ServiceBinder(Json.mapper());
        assertThatThrownBy(() -> binder.bind(NotAList.class))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("is batched: it takes List<In>");
        assertThatThrownBy(() -> binder.bind(TooBig.class))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("@Batch(maxSize = 5000): a batch holds 2 to 1024 items");
        assertThatThrownBy(() -> binder.bind(SlowDelay.class))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("at most 1s");
    }
}
