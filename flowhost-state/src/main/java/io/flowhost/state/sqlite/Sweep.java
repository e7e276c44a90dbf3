package io.flowhost.state.sqlite;

import io.flowhost.domain.request.Transitions;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Keeps the store from growing without end: queued requests past their queue TTL become EXPIRED, finished ones
 * past their result TTL are deleted; at most {@code limit} of each per call, so one sweep never holds the writer
 * long. Deleted pages are reused by later inserts, so the file stops growing once the traffic is steady.
 *
 * @param now   the time of the sweep
 * @param limit rows of each kind to touch at most
 */
record Sweep(Instant now, int limit) implements GroupCommit.Work<Integer> {

    @Override
    public Integer run(Batch batch) throws SQLException {
        var expired = batch.selectWithoutBodies(
                "WHERE state = 'QUEUED' AND expires_at <= ?" + " ORDER BY expires_at LIMIT ?", st -> {
                    st.setLong(1, now.toEpochMilli());
                    st.setInt(2, limit);
                });
        for (var r : expired) {
            batch.save(r, Transitions.expired(r, now));
        }
        // SQLite's DELETE has no LIMIT unless compiled with it, hence the subquery.
        int deleted = batch.update(
                "DELETE FROM requests WHERE seq IN (SELECT seq FROM requests"
                        + " WHERE state IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED') AND expires_at <= ? LIMIT ?)",
                st -> {
                    st.setLong(1, now.toEpochMilli());
                    st.setInt(2, limit);
                });
        return expired.size() + deleted;
    }
}
