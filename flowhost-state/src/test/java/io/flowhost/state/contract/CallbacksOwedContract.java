package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.state.RequestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request in a final state with a callback owes it until the callback is settled, across a reopen (the server's
 * restart); queued, running and callback-less requests owe nothing.
 */
public abstract class CallbacksOwedContract {

    private static final Duration LEASE = Duration.ofMinutes(1);

    /** The store under test, opened in {@code place} (again, after {@link TempStore#reopen}). */
    protected abstract RequestStore open(Path place);

    @RegisterExtension
    final TempStore temp = new TempStore(this::open);

    @Test
    void aFinishedRequestWithACallbackOwesItUntilSettledAcrossAReopen() {
        var answered = finish(withCallback(temp.call("echo-v1")), true);
        temp.clock().advance(Duration.ofSeconds(1));
        var failed = finish(withCallback(temp.call("echo-v1")), false);
        finish(temp.call("echo-v1"), true); // no callback
        temp.submit(withCallback(temp.call("echo-v1"))); // queued
        var now = temp.clock().advance(Duration.ofSeconds(1));

        assertThat(ids(temp.store(), now, 10)).as("oldest first").containsExactly(answered.id(), failed.id());
        assertThat(ids(temp.store(), answered.finishedAt().plusMillis(1), 10))
                .as("finished before the time given")
                .containsExactly(answered.id());
        assertThat(ids(temp.store(), now, 1)).containsExactly(answered.id());

        temp.store().callbackSettled(answered.id(), now);
        var reopened = temp.reopen();

        assertThat(ids(reopened, now, 10)).containsExactly(failed.id());
        assertThat(reopened.callbacksOwed(now, 10).getFirst().callbackUrl()).isEqualTo("http://127.0.0.1:9/done");
    }

    @Test
    void anExpiredOrCancelledRequestOwesItsCallbackToo() {
        var cancelled = temp.submit(withCallback(temp.call("echo-v1")));
        temp.store().cancel(cancelled.id(), temp.clock().instant());
        var expiring = temp.submit(withCallback(temp.call("echo-v1")));
        var now = temp.clock().advance(Retention.defaults().queueTtl().plusSeconds(1));
        temp.store().sweep(now);

        assertThat(ids(temp.store(), now.plusMillis(1), 10)).containsExactly(cancelled.id(), expiring.id());
        assertThat(temp.store().get(expiring.id()).orElseThrow().state()).isEqualTo(State.EXPIRED);
    }

    @Test
    void aRunningRequestOwesNoCallbackYet() {
        var r = temp.submit(withCallback(temp.call("echo-v1")));
        temp.store().lease("echo-v1", "w", LEASE, temp.clock().instant()).orElseThrow();

        assertThat(temp.store().callbacksOwed(temp.clock().advance(Duration.ofSeconds(1)), 10))
                .isEmpty();
        assertThat(temp.store().get(r.id()).orElseThrow().callbackUrl()).isNotNull();
    }

    /** Submits, leases and answers (or fails, out of attempts) the call; returns it finished. */
    private AsyncRequest finish(NewRequest call, boolean answer) {
        var r = temp.submit(call);
        var now = temp.clock().instant();
        temp.store().lease("echo-v1", "w", LEASE, now).orElseThrow();
        if (answer) {
            temp.store().complete(r.id(), "w", new Result(200, null, new byte[0]), now);
        } else {
            while (!temp.store().get(r.id()).orElseThrow().state().isFinal()) {
                temp.store().retryOrFail(r.id(), "w", "it broke", now);
                temp.store().lease("echo-v1", "w", LEASE, now);
            }
        }
        return temp.store().get(r.id()).orElseThrow();
    }

    private static NewRequest withCallback(NewRequest call) {
        return new NewRequest(
                call.deploymentId(),
                call.service(),
                call.endpoint(),
                call.contentType(),
                call.body(),
                call.requestId(),
                call.idempotencyKey(),
                "http://127.0.0.1:9/done",
                call.trace());
    }

    private static List<String> ids(RequestStore store, Instant before, int limit) {
        return store.callbacksOwed(before, limit).stream().map(AsyncRequest::id).toList();
    }
}
