package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.state.RequestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

public abstract class SweepContract {

    /** The store under test, opened in {@code place} (again, after {@link TempStore#reopen}). */
    protected abstract RequestStore open(Path place);

    private static final Retention SHORT = Retention.defaults().with(Map.of("queue-ttl", "10m", "result-ttl", "1h"));

    @RegisterExtension
    final TempStore temp = new TempStore(this::open);

    @Test
    void aRequestQueuedPastItsQueueTtlExpiresAndIsKeptUntilItsResultTtl() {
        var r = temp.submit(temp.call("echo-v1"), SHORT).request();
        var store = temp.store();

        assertThat(store.sweep(temp.clock().advance(Duration.ofMinutes(9)))).isZero();
        var now = temp.clock().advance(Duration.ofMinutes(1));
        assertThat(store.get(r.id()).orElseThrow().stateAt(now))
                .as("before the sweep")
                .isEqualTo(State.EXPIRED);
        assertThat(store.sweep(now)).isEqualTo(1);

        var expired = store.get(r.id()).orElseThrow();
        assertThat(expired)
                .extracting(AsyncRequest::state, AsyncRequest::finishedAt, AsyncRequest::expiresAt, AsyncRequest::error)
                .containsExactly(
                        State.EXPIRED,
                        now,
                        now.plus(Duration.ofHours(1)),
                        "not started within 10m of being accepted (queue-ttl)");
        assertThat(store.queued("echo-v1")).isZero();
        assertThat(store.oldestQueued("echo-v1")).isEmpty();

        assertThat(store.sweep(temp.clock().advance(Duration.ofMinutes(59)))).isZero();
        assertThat(store.sweep(temp.clock().advance(Duration.ofMinutes(1)))).isEqualTo(1);
        assertThat(store.get(r.id())).isEmpty();
    }

    @Test
    void aFinishedRequestIsDeletedAfterItsResultTtl() {
        var r = temp.submit(temp.call("echo-v1"), SHORT).request();
        temp.store().lease("echo-v1", "w", Duration.ofMinutes(1), temp.clock().instant());
        temp.store()
                .complete(
                        r.id(),
                        "w",
                        new Result(200, null, "x".getBytes()),
                        temp.clock().instant());

        var almost = temp.clock().advance(Duration.ofMinutes(59));
        assertThat(temp.store().sweep(almost)).isZero();
        assertThat(temp.store().get(r.id()).orElseThrow().isGoneAt(almost)).isFalse();
        temp.store().sweep(temp.clock().advance(Duration.ofMinutes(1)));

        assertThat(temp.store().get(r.id())).isEmpty();
    }

    @Test
    void runningAndFreshRequestsAreLeftAlone() {
        var running = temp.submit(temp.call("echo-v1"), SHORT).request();
        temp.store().lease("echo-v1", "w", Duration.ofHours(2), temp.clock().instant());
        temp.clock().advance(Duration.ofMinutes(5));
        var fresh = temp.submit(temp.call("echo-v1"), SHORT).request();

        assertThat(temp.store().sweep(temp.clock().advance(Duration.ofMinutes(6))))
                .isZero();
        assertThat(temp.store().get(running.id()).orElseThrow().state()).isEqualTo(State.RUNNING);
        assertThat(temp.store().get(fresh.id()).orElseThrow().state()).isEqualTo(State.QUEUED);
    }

    @Test
    void oneSweepTouchesAtMostAThousandRowsOfEachKind() {
        var submits = IntStream.range(0, 1500)
                .mapToObj(i -> temp.store()
                        .submit(temp.call("echo-v1"), SHORT, temp.clock().instant()))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(submits).join();
        var store = temp.store();

        assertThat(store.sweep(temp.clock().advance(Duration.ofMinutes(10)))).isEqualTo(1000);
        assertThat(store.sweep(temp.clock().instant())).isEqualTo(500);
        assertThat(store.queued("echo-v1")).isZero();
        assertThat(store.sweep(temp.clock().advance(Duration.ofHours(1)))).isEqualTo(1000);
        assertThat(store.sweep(temp.clock().instant())).isEqualTo(500);
        assertThat(store.list("echo", Set.of(), 10)).isEmpty();
    }

    @Test
    void theOldestQueuedMovesOnAsRequestsExpire() {
        var retention = Retention.defaults().with(Map.of("queue-ttl", "10m"));
        var first = temp.clock().instant();
        temp.submit(temp.call("echo-v1"), retention);
        var second = temp.clock().advance(Duration.ofMinutes(5));
        temp.submit(temp.call("echo-v1"), retention);

        assertThat(temp.store().oldestQueued("echo-v1")).contains(first);
        temp.store().sweep(temp.clock().advance(Duration.ofMinutes(5)));
        assertThat(temp.store().oldestQueued("echo-v1")).contains(second);
        assertThat(temp.store().queued("echo-v1")).isEqualTo(1);
    }
}
