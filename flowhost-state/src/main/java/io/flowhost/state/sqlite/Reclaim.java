package io.flowhost.state.sqlite;

import io.flowhost.domain.request.Transitions;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Takes back running requests from holders that are gone: queued again while attempts remain, else FAILED.
 *
 * @param now      the time of the reclaim
 * @param everyOne true after a restart (every holder died with the old process), false for expired leases only
 * @param limit    how many to take back at most in one transaction
 */
record Reclaim(Instant now, boolean everyOne, int limit) implements GroupCommit.Work<Integer> {

    @Override
    public Integer run(Batch batch) throws SQLException {
        var running = batch.selectWithoutBodies(
                "WHERE state = 'RUNNING'" + (everyOne ? "" : " AND lease_until <= ?") + " ORDER BY seq LIMIT ?", st -> {
                    int i = 1;
                    if (!everyOne) {
                        st.setLong(i++, now.toEpochMilli());
                    }
                    st.setInt(i, limit);
                });
        for (var r : running) {
            var why = everyOne
                    ? "the server stopped while attempt " + r.attempts() + " ran"
                    : "the lease of " + r.leaseHolder() + " expired at " + r.leaseUntil();
            batch.save(r, Transitions.attemptLost(r, why, now));
        }
        return running.size();
    }
}
