package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.state.RequestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

public abstract class LeaseContract {

    /** The store under test, opened in {@code place} (again, after {@link TempStore#reopen}). */
    protected abstract RequestStore open(Path place);

    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Result OK = new Result(200, "application/json", "{\"ok\":true}".getBytes());

    @RegisterExtension
    final TempStore temp = new TempStore(this::open);

    @Test
    void leasesTakeADeploymentsRequestsInArrivalOrder() {
        var submitted = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            submitted.add(temp.submit(temp.call("echo-v1")).id());
            temp.submit(temp.call("other-v1"));
            temp.clock().advance(Duration.ofMillis(i % 2)); // some in the same millisecond: ties go by arrival
        }
        var leased = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            leased.add(temp.store()
                    .lease("echo-v1", "w" + i, LEASE, temp.clock().instant())
                    .orElseThrow()
                    .id());
        }

        assertThat(leased).containsExactlyElementsOf(submitted);
        assertThat(temp.store().lease("echo-v1", "w", LEASE, temp.clock().instant()))
                .isEmpty();
        assertThat(temp.store().queued("other-v1")).isEqualTo(5);
    }

    @Test
    void aLeasedRequestIsRunningWithItsBodyHolderAndOneAttempt() {
        var r = temp.submit(temp.call("echo-v1"));
        var now = temp.clock().advance(Duration.ofSeconds(3));

        var leased = temp.store().lease("echo-v1", "w1", LEASE, now).orElseThrow();

        assertThat(leased.body()).isEqualTo(r.body());
        assertThat(leased)
                .extracting(
                        AsyncRequest::state,
                        AsyncRequest::leaseHolder,
                        AsyncRequest::leaseUntil,
                        AsyncRequest::startedAt,
                        AsyncRequest::attempts)
                .containsExactly(State.RUNNING, "w1", now.plus(LEASE), now, 1);
        assertThat(temp.store().get(r.id()).orElseThrow())
                .usingRecursiveComparison()
                .isEqualTo(leased);
        assertThat(temp.store().queued("echo-v1")).isZero();
    }

    @Test
    void severalRequestsCanBeLeasedInOneCall() {
        var first = temp.submit(temp.call("echo-v1"));
        var second = temp.submit(temp.call("echo-v1"));
        temp.submit(temp.call("echo-v1"));

        var leased = temp.store().lease("echo-v1", "w", LEASE, 2, temp.clock().instant());

        assertThat(leased).extracting(AsyncRequest::id).containsExactly(first.id(), second.id());
        assertThat(temp.store().queued("echo-v1")).isEqualTo(1);
    }

    @Test
    void aCompletedRequestSucceedsWithItsResultAndIsKeptForTheResultTtl() {
        var r = temp.submit(temp.call("echo-v1"));
        temp.store().lease("echo-v1", "w1", LEASE, temp.clock().instant());
        var now = temp.clock().advance(Duration.ofSeconds(2));

        assertThat(temp.store().complete(r.id(), "w1", OK, now)).isTrue();

        var done = temp.store().get(r.id()).orElseThrow();
        assertThat(done)
                .extracting(
                        AsyncRequest::state,
                        AsyncRequest::result,
                        AsyncRequest::finishedAt,
                        AsyncRequest::expiresAt,
                        AsyncRequest::leaseHolder,
                        AsyncRequest::error)
                .containsExactly(State.SUCCEEDED, OK, now, now.plus(Duration.ofHours(24)), null, null);
    }

    @Test
    void aHandlersOwn4xxIsAFinalFailureWithItsAnswerKept() {
        var r = temp.submit(temp.call("echo-v1"));
        temp.store().lease("echo-v1", "w1", LEASE, temp.clock().instant());
        var rejected = new Result(422, "application/problem+json", "{\"title\":\"bad input\"}".getBytes());

        assertThat(temp.store().complete(r.id(), "w1", rejected, temp.clock().instant()))
                .isTrue();

        var done = temp.store().get(r.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(State.FAILED);
        assertThat(done.state().isFinal()).isTrue();
        assertThat(done.result()).isEqualTo(rejected);
        assertThat(done.error()).isEqualTo("the endpoint answered 422");
        assertThat(temp.store().lease("echo-v1", "w2", LEASE, temp.clock().instant()))
                .as("not retried")
                .isEmpty();
    }

    @Test
    void aLostAttemptIsQueuedAgainUntilMaxAttemptsThenFailsWithTheReason() {
        var r = temp.submit(temp.call("echo-v1"), Retention.defaults().with(Map.of("max-attempts", "2")))
                .request();
        var store = temp.store();

        store.lease("echo-v1", "w1", LEASE, temp.clock().instant());
        assertThat(store.retryOrFail(
                        r.id(), "w1", "instance i-1 died", temp.clock().instant()))
                .isTrue();
        var again = store.get(r.id()).orElseThrow();
        assertThat(again)
                .extracting(AsyncRequest::state, AsyncRequest::attempts, AsyncRequest::error, AsyncRequest::leaseHolder)
                .containsExactly(State.QUEUED, 1, "instance i-1 died", null);
        assertThat(store.queued("echo-v1")).isEqualTo(1);

        var second = store.lease("echo-v1", "w2", LEASE, temp.clock().instant()).orElseThrow();
        assertThat(second.attempts()).isEqualTo(2);
        var now = temp.clock().advance(Duration.ofSeconds(5));
        assertThat(store.retryOrFail(r.id(), "w2", "instance i-2 died", now)).isTrue();

        var failed = store.get(r.id()).orElseThrow();
        assertThat(failed)
                .extracting(AsyncRequest::state, AsyncRequest::attempts, AsyncRequest::error, AsyncRequest::finishedAt)
                .containsExactly(State.FAILED, 2, "gave up after 2 attempts: instance i-2 died", now);
        assertThat(store.queued("echo-v1")).isZero();
    }

    @Test
    void anExpiredLeaseIsReclaimedAndTheOldHoldersLateResultIsDropped() {
        var r = temp.submit(temp.call("echo-v1"));
        var store = temp.store();
        store.lease("echo-v1", "w1", LEASE, temp.clock().instant());

        assertThat(store.reclaimExpiredLeases(temp.clock().advance(Duration.ofSeconds(59))))
                .isZero();
        var now = temp.clock().advance(Duration.ofSeconds(1));
        assertThat(store.reclaimExpiredLeases(now)).isEqualTo(1);

        var requeued = store.get(r.id()).orElseThrow();
        assertThat(requeued.state()).isEqualTo(State.QUEUED);
        assertThat(requeued.error()).startsWith("the lease of w1 expired at ");
        assertThat(store.complete(r.id(), "w1", OK, now)).isFalse();
        assertThat(store.get(r.id()).orElseThrow().state()).isEqualTo(State.QUEUED);

        var retaken = store.lease("echo-v1", "w2", LEASE, now).orElseThrow();
        assertThat(retaken.attempts()).isEqualTo(2);
        assertThat(store.complete(r.id(), "w1", OK, now))
                .as("w1 still has no lease")
                .isFalse();
        assertThat(store.complete(r.id(), "w2", OK, now)).isTrue();
    }

    @Test
    void aResultAfterTheLeaseRanOutIsDroppedEvenBeforeTheReclaim() {
        var r = temp.submit(temp.call("echo-v1"));
        temp.store().lease("echo-v1", "w1", LEASE, temp.clock().instant());

        assertThat(temp.store().complete(r.id(), "w1", OK, temp.clock().advance(LEASE)))
                .isFalse();
        assertThat(temp.store().get(r.id()).orElseThrow().state()).isEqualTo(State.RUNNING);
    }

    @Test
    void aReportFromAnotherHolderIsDropped() {
        var r = temp.submit(temp.call("echo-v1"));
        temp.store().lease("echo-v1", "w1", LEASE, temp.clock().instant());

        assertThat(temp.store().complete(r.id(), "w2", OK, temp.clock().instant()))
                .isFalse();
        assertThat(temp.store().retryOrFail(r.id(), "w2", "no", temp.clock().instant()))
                .isFalse();
        assertThat(temp.store().complete("unknown-id", "w1", OK, temp.clock().instant()))
                .isFalse();
    }

    @Test
    void aRenewedLeaseOutlivesItsFirstTerm() {
        var r = temp.submit(temp.call("echo-v1"));
        var store = temp.store();
        store.lease("echo-v1", "w1", LEASE, temp.clock().instant());

        assertThat(store.renew(r.id(), "w1", LEASE, temp.clock().advance(Duration.ofSeconds(50))))
                .isTrue();
        var later = temp.clock().advance(Duration.ofSeconds(50));
        assertThat(store.reclaimExpiredLeases(later)).isZero();
        assertThat(store.complete(r.id(), "w1", OK, later)).isTrue();
    }

    @Test
    void aRequestQueuedPastItsQueueTtlIsNotStarted() {
        temp.submit(temp.call("echo-v1"));

        var late = temp.clock().advance(Duration.ofHours(6));
        assertThat(temp.store().lease("echo-v1", "w1", LEASE, late)).isEmpty();
    }

    @Test
    void aRequestOutOfAttemptsWhenItsLeaseExpiresFails() {
        var r = temp.submit(temp.call("echo-v1"), Retention.defaults().with(Map.of("max-attempts", "1")))
                .request();
        temp.store().lease("echo-v1", "w1", LEASE, temp.clock().instant());

        temp.store().reclaimExpiredLeases(temp.clock().advance(LEASE));

        var failed = temp.store().get(r.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.error()).startsWith("gave up after 1 attempts: the lease of w1 expired");
    }
}
