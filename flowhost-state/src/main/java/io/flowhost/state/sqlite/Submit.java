package io.flowhost.state.sqlite;

import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.IdempotencyKeyReusedException;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.domain.request.Submitted;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Stores a new request, unless its idempotency key was used already: for the same request (the same fingerprint)
 * the earlier one is the answer, for any other the key is refused; or unless its deployment's queue is full.
 *
 * @param fresh       the request as it will be stored, made on the caller's thread
 * @param fingerprint the fingerprint of its call when it has an idempotency key, else null
 * @param maxQueued   the deployment's {@code max-queued}
 * @param now         the time of the submission
 */
record Submit(AsyncRequest fresh, String fingerprint, int maxQueued, Instant now)
        implements GroupCommit.Work<Submitted> {

    /** The latest request with a key that is still remembered: not yet past its result TTL. */
    private static final String LATEST_WITH_KEY =
            "WHERE idempotency_key = ?" + " AND (state IN ('QUEUED', 'RUNNING') OR expires_at > ?) ORDER BY seq DESC";

    @Override
    public Submitted run(Batch batch) throws SQLException {
        var key = fresh.idempotencyKey();
        if (key != null) {
            // Runs on the one writer, after every earlier submit of this batch: two concurrent submits with one key
            // cannot both insert.
            var earlierId = batch.selectOne("id", LATEST_WITH_KEY, st -> {
                st.setString(1, key);
                st.setLong(2, now.toEpochMilli());
            });
            if (earlierId.isPresent()) {
                var earlier = batch.find(earlierId.get()).orElseThrow();
                if (!fingerprint.equals(fingerprintOf(batch, earlier))) {
                    throw new IdempotencyKeyReusedException(key);
                }
                return new Submitted(earlier, true);
            }
        }
        if (batch.queued(fresh.deploymentId()) >= maxQueued) {
            throw new QueueFullException(fresh.deploymentId(), maxQueued);
        }
        batch.insert(fresh, fingerprint);
        return new Submitted(fresh, false);
    }

    /** As stored; computed from the call for a request stored before fingerprints were. */
    private static String fingerprintOf(Batch batch, AsyncRequest earlier) throws SQLException {
        var stored = batch.selectOne("fingerprint", "WHERE id = ?", st -> st.setString(1, earlier.id()));
        return stored.orElseGet(earlier::fingerprint);
    }
}
