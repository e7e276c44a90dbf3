package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.state.RequestStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

public abstract class CancelContract {

    /** The store under test, opened in {@code place} (again, after {@link TempStore#reopen}). */
    protected abstract RequestStore open(Path place);

    @RegisterExtension
    final TempStore temp = new TempStore(this::open);

    @Test
    void aQueuedRequestIsCancelledAndLeavesTheQueue() {
        var r = temp.submit(temp.call("echo-v1"));
        var now = temp.clock().advance(Duration.ofSeconds(1));

        var cancelled = temp.store().cancel(r.id(), now).orElseThrow();

        assertThat(cancelled)
                .extracting(AsyncRequest::state, AsyncRequest::finishedAt, AsyncRequest::expiresAt)
                .containsExactly(State.CANCELLED, now, now.plus(Duration.ofHours(24)));
        assertThat(temp.store().get(r.id()).orElseThrow().state()).isEqualTo(State.CANCELLED);
        assertThat(temp.store().queued("echo-v1")).isZero();
        assertThat(temp.store().lease("echo-v1", "w", Duration.ofMinutes(1), now))
                .isEmpty();
    }

    @Test
    void aRunningRequestIsNotCancelledAndComesBackUnchanged() {
        var r = temp.submit(temp.call("echo-v1"));
        var running = temp.store()
                .lease("echo-v1", "w", Duration.ofMinutes(1), temp.clock().instant())
                .orElseThrow();

        var after = temp.store().cancel(r.id(), temp.clock().instant()).orElseThrow();

        assertThat(after).usingRecursiveComparison().isEqualTo(running);
    }

    @Test
    void aFinishedRequestIsNotCancelled() {
        var r = temp.submit(temp.call("echo-v1"));
        temp.store().lease("echo-v1", "w", Duration.ofMinutes(1), temp.clock().instant());
        temp.store()
                .complete(
                        r.id(),
                        "w",
                        new Result(200, null, new byte[0]),
                        temp.clock().instant());

        assertThat(temp.store()
                        .cancel(r.id(), temp.clock().instant())
                        .orElseThrow()
                        .state())
                .isEqualTo(State.SUCCEEDED);
    }

    @Test
    void cancellingAnUnknownRequestIsEmpty() {
        assertThat(temp.store().cancel("nope", temp.clock().instant())).isEmpty();
    }
}
