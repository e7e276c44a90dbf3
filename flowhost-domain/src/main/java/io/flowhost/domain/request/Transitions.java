package io.flowhost.domain.request;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.settings.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Every move of a request from one state to the next, as pure functions of the request, the event and the time; the
 * store only loads, applies and saves them.
 */
public final class Transitions {

    private Transitions() {}

    /** A new request, queued at {@code now}, expiring after the queue TTL if nothing starts it. */
    public static AsyncRequest accepted(String id, NewRequest r, Retention retention, Instant now) {
        var at = millis(now);
        return new AsyncRequest(
                id,
                r.deploymentId(),
                r.service(),
                r.endpoint(),
                r.contentType(),
                r.body(),
                r.requestId(),
                r.idempotencyKey(),
                r.callbackUrl(),
                State.QUEUED,
                at,
                null,
                null,
                at.plus(retention.queueTtl()),
                retention.resultTtl(),
                0,
                retention.maxAttempts(),
                null,
                null,
                null,
                null,
                r.trace());
    }

    /** Started by {@code holder}, which holds it until {@code now + lease}; one more attempt. */
    public static AsyncRequest leased(AsyncRequest r, String holder, Duration lease, Instant now) {
        var at = millis(now);
        return r.moved(
                State.RUNNING, at, null, r.expiresAt(), r.attempts() + 1, holder, at.plus(lease), null, r.error());
    }

    /** Until {@code now + lease} for the same holder: a long call that is still alive. */
    public static AsyncRequest renewed(AsyncRequest r, Duration lease, Instant now) {
        return r.moved(
                State.RUNNING,
                r.startedAt(),
                null,
                r.expiresAt(),
                r.attempts(),
                r.leaseHolder(),
                millis(now).plus(lease),
                null,
                r.error());
    }

    /**
     * The endpoint answered: SUCCEEDED on 2xx, else FAILED for good, since the handler's own 4xx would fail the same
     * way again (the dispatcher sends the failures worth retrying, such as a crash, to {@link #attemptLost}).
     */
    public static AsyncRequest answered(AsyncRequest r, Result result, Instant now) {
        var state = result.isSuccess() ? State.SUCCEEDED : State.FAILED;
        var error = result.isSuccess() ? null : "the endpoint answered " + result.status();
        return finished(r, state, result, error, now);
    }

    /** An attempt that gave no answer (crash, timeout, lost lease): queued again while attempts remain, else FAILED. */
    public static AsyncRequest attemptLost(AsyncRequest r, String why, Instant now) {
        if (r.attempts() < r.maxAttempts()) {
            return r.moved(State.QUEUED, r.startedAt(), null, r.expiresAt(), r.attempts(), null, null, null, why);
        }
        return finished(r, State.FAILED, null, "gave up after " + r.attempts() + " attempts: " + why, now);
    }

    /** Cancelled by its caller before it started. */
    public static AsyncRequest cancelled(AsyncRequest r, Instant now) {
        return finished(r, State.CANCELLED, null, null, now);
    }

    /** Not started within its queue TTL; kept for the result TTL so the caller learns it expired (410, not 404). */
    public static AsyncRequest expired(AsyncRequest r, Instant now) {
        var waited = Duration.between(r.acceptedAt(), r.expiresAt());
        return finished(
                r,
                State.EXPIRED,
                null,
                "not started within " + Durations.format(waited) + " of being accepted (queue-ttl)",
                now);
    }

    private static AsyncRequest finished(AsyncRequest r, State state, Result result, String error, Instant now) {
        var at = millis(now);
        return r.moved(state, r.startedAt(), at, at.plus(r.resultTtl()), r.attempts(), null, null, result, error);
    }

    /** The store keeps milliseconds; truncating here makes what submit returns equal what get reads back. */
    private static Instant millis(Instant now) {
        return now.truncatedTo(ChronoUnit.MILLIS);
    }
}
