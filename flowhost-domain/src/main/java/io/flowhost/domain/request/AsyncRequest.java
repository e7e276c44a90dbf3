package io.flowhost.domain.request;

import java.time.Duration;
import java.time.Instant;

/**
 * An asynchronous request as stored: what was called, where it is in its life, and its result once finished.
 *
 * <p>Times are kept to the millisecond. Bodies are not copied: do not change the arrays.
 *
 * @param id             random, URL-safe and unguessable, e.g. {@code 3q2-7wAAQSkZJRgABAQEAYA}
 * @param deploymentId   the deployment it was accepted for and runs on
 * @param service        the service called
 * @param endpoint       the endpoint called
 * @param contentType    the request's content type, or null
 * @param body           the request body
 * @param requestId      the caller's request id, for tracing
 * @param idempotencyKey the caller's idempotency key, or null
 * @param callbackUrl    where to POST when it finishes, or null
 * @param state          where it is in its life
 * @param acceptedAt     when it was accepted (its place in the queue)
 * @param startedAt      when its latest attempt started, or null if it never started
 * @param finishedAt     when it reached its final state, or null
 * @param expiresAt      while queued or running: when it expires if not started by then; once final: when it is
 *                       deleted
 * @param resultTtl      how long it is kept once final
 * @param attempts       how many times it was started
 * @param maxAttempts    how many starts it may have
 * @param leaseHolder    who runs it while RUNNING, else null
 * @param leaseUntil     until when that lease holds while RUNNING, else null
 * @param result         the endpoint's answer once SUCCEEDED, or FAILED by a final answer; else null
 * @param error          why it FAILED or EXPIRED, or why its last attempt was lost while it waits again; else null
 * @param trace          the trace it was accepted in, which its runs join; null when it was not traced
 */
public record AsyncRequest(
        String id,
        String deploymentId,
        String service,
        String endpoint,
        String contentType,
        byte[] body,
        String requestId,
        String idempotencyKey,
        String callbackUrl,
        State state,
        Instant acceptedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant expiresAt,
        Duration resultTtl,
        int attempts,
        int maxAttempts,
        String leaseHolder,
        Instant leaseUntil,
        Result result,
        String error,
        TraceContext trace) {

    /**
     * The state a caller should see at {@code now}: a request still queued past its queue TTL reads as EXPIRED even
     * before the next sweep marks it so.
     */
    public State stateAt(Instant now) {
        return state == State.QUEUED && !expiresAt.isAfter(now) ? State.EXPIRED : state;
    }

    /** Whether it is final and past its result TTL, so the next sweep deletes it: treat it as unknown. */
    public boolean isGoneAt(Instant now) {
        return state.isFinal() && !expiresAt.isAfter(now);
    }

    /** The fingerprint of the call it was accepted as, the same as {@link NewRequest#fingerprint()} gave. */
    public String fingerprint() {
        return Fingerprint.of(service, endpoint, contentType, body);
    }

    /** Whether {@code holder} still holds the lease on it at {@code now}. */
    public boolean isLeasedBy(String holder, Instant now) {
        return state == State.RUNNING && holder.equals(leaseHolder) && leaseUntil.isAfter(now);
    }

    /** This request moved on: the same call with a new state, times, attempts, lease, result and error. */
    AsyncRequest moved(
            State state,
            Instant startedAt,
            Instant finishedAt,
            Instant expiresAt,
            int attempts,
            String leaseHolder,
            Instant leaseUntil,
            Result result,
            String error) {
        return new AsyncRequest(
                id,
                deploymentId,
                service,
                endpoint,
                contentType,
                body,
                requestId,
                idempotencyKey,
                callbackUrl,
                state,
                acceptedAt,
                startedAt,
                finishedAt,
                expiresAt,
                resultTtl,
                attempts,
                maxAttempts,
                leaseHolder,
                leaseUntil,
                result,
                error,
                trace);
    }

    /** The request without its body bytes, which can be megabytes. */
    @Override
    public String toString() {
        return "AsyncRequest[" + id + " " + deploymentId + " " + service + "/" + endpoint + " " + state
                + ", attempt " + attempts + "/" + maxAttempts + ", accepted " + acceptedAt
                + (result == null ? "" : ", " + result) + (error == null ? "" : ", error: " + error) + "]";
    }
}
