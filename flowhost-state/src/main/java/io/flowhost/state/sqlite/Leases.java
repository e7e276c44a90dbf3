package io.flowhost.state.sqlite;

import io.flowhost.domain.request.AsyncRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The requests the writer leased, as it leased them, so that a holder's report need not read its row back: a row
 * held by a lease changes only by that holder's reports, and the holder is new for every lease.
 *
 * <p>A cache, used by the writer thread alone: what it says is checked by the update's guard on the holder (a lease
 * of a rolled-back batch, or one taken back since, matches no row), and a request it no longer holds is read.
 */
final class Leases {

    /** Enough for every lease running at once; a lease never reported on is dropped with the oldest. */
    private static final int MAX = 4096;

    private final Map<String, AsyncRequest> byId = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AsyncRequest> eldest) {
            return size() > MAX;
        }
    };

    /** Remembers a lease (or its renewal), without the request's body, which a report never writes. */
    void held(AsyncRequest running) {
        byId.put(running.id(), withoutBody(running));
    }

    /** The request as {@code holder} leased it, if this is that lease and it is remembered. */
    Optional<AsyncRequest> heldBy(String id, String holder) {
        var r = byId.get(id);
        return r != null && holder.equals(r.leaseHolder()) ? Optional.of(r) : Optional.empty();
    }

    void forget(String id) {
        byId.remove(id);
    }

    private static AsyncRequest withoutBody(AsyncRequest r) {
        return new AsyncRequest(
                r.id(),
                r.deploymentId(),
                r.service(),
                r.endpoint(),
                r.contentType(),
                new byte[0],
                r.requestId(),
                r.idempotencyKey(),
                r.callbackUrl(),
                r.state(),
                r.acceptedAt(),
                r.startedAt(),
                r.finishedAt(),
                r.expiresAt(),
                r.resultTtl(),
                r.attempts(),
                r.maxAttempts(),
                r.leaseHolder(),
                r.leaseUntil(),
                r.result(),
                r.error(),
                r.trace());
    }
}
