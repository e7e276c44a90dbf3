package io.flowhost.state.postgres;

import io.flowhost.state.Leadership.Term;
import io.flowhost.state.NotLeaderException;
import io.flowhost.state.internal.LeaseRows;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The term this gateway last led in, checked inside every write only the leader makes (leases, reclaims, sweeps,
 * alert states): a deposed leader's late write is refused, not just its loops stopped. The check holds the lease
 * row {@code FOR SHARE} until the write commits, so a takeover, which locks it {@code FOR UPDATE}, waits for writes
 * of the old term in flight, and every write after it sees the new term. A gateway that never led is not fenced.
 */
final class Fence {

    private volatile Term term;

    /** This gateway leads in this term from now on (called with each term {@code lead} grants). */
    void held(Term granted) {
        term = granted;
    }

    /** Refuses the transaction's write unless this gateway still holds the term it last led in. */
    void check(Connection db) throws SQLException {
        var mine = term;
        if (mine == null) {
            return;
        }
        try (var st = db.prepareStatement("SELECT holder, term FROM leadership WHERE name = ? FOR SHARE")) {
            st.setString(1, LeaseRows.NAME);
            try (var rs = st.executeQuery()) {
                if (rs.next() && rs.getString(1).equals(mine.holder()) && rs.getLong(2) == mine.number()) {
                    return;
                }
                throw new NotLeaderException("term " + mine.number() + " of " + mine.holder() + " is over"
                        + (rs.getRow() == 0 ? "" : ": " + rs.getString(1) + " leads in term " + rs.getLong(2))
                        + "; only the leader may write this");
            }
        }
    }
}
