package io.flowhost.state.sqlite;

import io.flowhost.domain.request.AsyncRequest;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * A lease holder reports on its request (a result, a lost attempt, a renewal); applied only while it still holds the
 * lease, so a late report from a holder whose lease expired or was taken back is dropped.
 *
 * @param id         the request
 * @param holder     who reports
 * @param now        the time of the report
 * @param transition what the report does to the request
 */
record Report(String id, String holder, Instant now, UnaryOperator<AsyncRequest> transition)
        implements GroupCommit.Work<Boolean> {

    @Override
    public Boolean run(Batch batch) throws SQLException {
        var leased = batch.heldBy(id, holder);
        if (leased.isPresent()) {
            return batch.saveIfHeld(leased.get(), transition.apply(leased.get()), now);
        }
        // Without its body, which the writer would otherwise copy (megabytes, for some models) only to leave as is.
        var found = batch.findWithoutBody(id);
        if (found.isEmpty() || !found.get().isLeasedBy(holder, now)) {
            return false;
        }
        batch.save(found.get(), transition.apply(found.get()));
        return true;
    }
}
