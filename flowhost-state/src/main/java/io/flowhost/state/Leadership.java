package io.flowhost.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which server runs the control loops (deploy restores, autoscaling, async leasing, sweeps, alerts) of one state
 * store: one at a time, by a lease kept in the store and renewed while it runs. Each change of holder starts a new
 * term, one higher: a fencing token. Time is passed in. Every implementation passes
 * {@code io.flowhost.state.contract.LeadershipContract} (this module's test jar).
 */
public interface Leadership {

    /**
     * Becomes or stays the leader until {@code now + lease}: the term held, or empty while another holder's lease
     * runs. The same holder asking again keeps its term; a new holder after the last lease ended gets the next.
     */
    Optional<Term> lead(String holder, Duration lease, Instant now);

    /** Who leads at {@code now}: empty when nobody's lease runs. */
    Optional<Term> leader(Instant now);

    /** Ends the holder's lease now, if it holds one, so that another can lead at once. */
    void resign(String holder);

    /**
     * One holder's leadership.
     *
     * @param holder who leads, e.g. {@code gw-1.internal:8080 (pid 4242)}
     * @param number the term: one higher at each change of holder
     * @param until  when the lease ends unless renewed
     */
    record Term(String holder, long number, Instant until) {}
}
