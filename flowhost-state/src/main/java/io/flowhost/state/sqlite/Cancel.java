package io.flowhost.state.sqlite;

import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.State;
import io.flowhost.domain.request.Transitions;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Cancels a request that has not started; a running or finished one is returned unchanged for the caller to refuse.
 *
 * @param id  the request
 * @param now the time of the cancellation
 */
record Cancel(String id, Instant now) implements GroupCommit.Work<Optional<AsyncRequest>> {

    @Override
    public Optional<AsyncRequest> run(Batch batch) throws SQLException {
        var found = batch.find(id);
        if (found.isEmpty() || found.get().state() != State.QUEUED) {
            return found;
        }
        var cancelled = Transitions.cancelled(found.get(), now);
        batch.save(found.get(), cancelled);
        return Optional.of(cancelled);
    }
}
