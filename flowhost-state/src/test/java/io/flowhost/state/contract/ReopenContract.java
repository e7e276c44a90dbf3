package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.domain.request.TraceContext;
import io.flowhost.state.RequestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a restarted server finds: the queue depths counted again, and the requests that were running put back. */
public abstract class ReopenContract {

    /** The store under test, opened in {@code place} (again, after {@link TempStore#reopen}). */
    protected abstract RequestStore open(Path place);

    private static final Duration LEASE = Duration.ofMinutes(1);

    @RegisterExtension
    final TempStore temp = new TempStore(this::open);

    @Test
    void queueDepthsAndOldestAreRightAfterReopening() {
        var oldest = temp.clock().instant();
        temp.submit(temp.call("echo-v1"));
        temp.clock().advance(Duration.ofSeconds(1));
        temp.submit(temp.call("echo-v1"));
        temp.submit(temp.call("echo-v1"));
        temp.submit(temp.call("iris-v2"));
        temp.store().lease("echo-v1", "w", LEASE, temp.clock().instant());

        var store = temp.reopen();

        assertThat(store.queued("echo-v1")).isEqualTo(2);
        assertThat(store.queued("iris-v2")).isEqualTo(1);
        assertThat(store.queued("nothing-v1")).isZero();
        assertThat(store.oldestQueued("echo-v1")).contains(oldest.plusSeconds(1));
        assertThat(store.oldestQueued("nothing-v1")).isEmpty();
        assertThat(store.deploymentsWithQueued()).containsExactlyInAnyOrder("echo-v1", "iris-v2");
    }

    @Test
    void requestsThatWereRunningAreQueuedAgainAfterARestart() {
        var running = temp.submit(temp.call("echo-v1"));
        var queued = temp.submit(temp.call("echo-v1"));
        temp.store().lease("echo-v1", "w", LEASE, temp.clock().instant());

        var store = temp.reopen();
        assertThat(store.recoverAfterRestart(temp.clock().instant())).isEqualTo(1);

        var back = store.get(running.id()).orElseThrow();
        assertThat(back)
                .extracting(AsyncRequest::state, AsyncRequest::attempts, AsyncRequest::error)
                .containsExactly(State.QUEUED, 1, "the server stopped while attempt 1 ran");
        assertThat(store.queued("echo-v1")).isEqualTo(2);
        assertThat(store.lease("echo-v1", "w2", LEASE, temp.clock().instant())
                        .orElseThrow()
                        .id())
                .as("it keeps its place at the front")
                .isEqualTo(running.id());
        assertThat(store.get(queued.id()).orElseThrow().state()).isEqualTo(State.QUEUED);
    }

    @Test
    void aRequestKeepsTheTraceItWasAcceptedInAcrossARestart() {
        var trace = TraceContext.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "congo=t61rcWkgMzE");
        var call = temp.call("echo-v1");
        var r = temp.submit(new NewRequest(
                call.deploymentId(),
                call.service(),
                call.endpoint(),
                call.contentType(),
                call.body(),
                call.requestId(),
                null,
                null,
                trace));
        temp.store().lease("echo-v1", "w", LEASE, temp.clock().instant());

        var store = temp.reopen();
        store.recoverAfterRestart(temp.clock().instant());

        var rerun = store.lease("echo-v1", "w2", LEASE, temp.clock().instant()).orElseThrow();
        assertThat(rerun.id()).isEqualTo(r.id());
        assertThat(rerun.trace()).isEqualTo(trace);
        assertThat(rerun.trace().traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void aRunningRequestOutOfAttemptsFailsAfterARestart() {
        var r = temp.submit(temp.call("echo-v1"), Retention.defaults().with(Map.of("max-attempts", "1")))
                .request();
        temp.store().lease("echo-v1", "w", LEASE, temp.clock().instant());

        temp.reopen().recoverAfterRestart(temp.clock().instant());

        var failed = temp.store().get(r.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.error()).isEqualTo("gave up after 1 attempts: the server stopped while attempt 1 ran");
    }

    @Test
    void finishedResultsAreStillThereAfterReopening() {
        var r = temp.submit(temp.call("echo-v1"));
        temp.store().lease("echo-v1", "w", LEASE, temp.clock().instant());
        var result = new Result(201, "application/json", "{\"id\":1}".getBytes());
        temp.store().complete(r.id(), "w", result, temp.clock().instant());

        assertThat(temp.reopen().get(r.id()).orElseThrow().result()).isEqualTo(result);
    }
}
