package io.flowhost.state.sqlite;

import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.Transitions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Leases the oldest queued requests of a deployment, in arrival order, to one holder.
 *
 * <p>Requests already past their queue TTL are skipped, not started: the sweep marks them EXPIRED.
 *
 * @param deploymentId the deployment whose queue to take from
 * @param holder       who will run them
 * @param lease        how long the holder has before they are taken back
 * @param max          how many to take at most
 * @param now          the time of the lease
 */
record Take(String deploymentId, String holder, Duration lease, int max, Instant now)
        implements GroupCommit.Work<List<AsyncRequest>> {

    @Override
    public List<AsyncRequest> run(Batch batch) throws SQLException {
        var queued = batch.queueHead(deploymentId, now, max);
        var taken = new ArrayList<AsyncRequest>(queued.size());
        for (var r : queued) {
            var running = Transitions.leased(r, holder, lease, now);
            batch.saveLease(r, running);
            taken.add(running);
        }
        return taken;
    }
}
