package io.flowhost.state.sqlite;

import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.domain.request.Submitted;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Stores a new request, unless its idempotency key was used already for the same service and endpoint (then the
 * earlier request is the answer) or its deployment's queue is full.
 *
 * @param fresh     the request as it will be stored, made on the caller's thread
 * @param maxQueued the deployment's {@code max-queued}
 * @param now       the time of the submission
 */
record Submit(AsyncRequest fresh, int maxQueued, Instant now) implements GroupCommit.Work<Submitted> {

    @Override
    public Submitted run(Batch batch) throws SQLException {
        if (fresh.idempotencyKey() != null) {
            // Runs on the one writer, after every earlier submit of this batch: two concurrent submits with one key
            // cannot both insert.
            var earlier = batch.select(
                    "WHERE service = ? AND endpoint = ? AND idempotency_key = ?"
                            + " AND (state IN ('QUEUED', 'RUNNING') OR expires_at > ?) ORDER BY seq DESC LIMIT 1",
                    st -> {
                        st.setString(1, fresh.service());
                        st.setString(2, fresh.endpoint());
                        st.setString(3, fresh.idempotencyKey());
                        st.setLong(4, now.toEpochMilli());
                    });
            if (!earlier.isEmpty()) {
                return new Submitted(earlier.getFirst(), true);
            }
        }
        if (batch.queued(fresh.deploymentId()) >= maxQueued) {
            throw new QueueFullException(fresh.deploymentId(), maxQueued);
        }
        batch.insert(fresh);
        return new Submitted(fresh, false);
    }
}
