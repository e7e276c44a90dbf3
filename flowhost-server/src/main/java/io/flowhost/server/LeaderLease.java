package io.flowhost.server;

import io.flowhost.state.Leadership;
import io.flowhost.state.Leadership.Term;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;

/**
 * A gateway's lease on the control loops of its state store: the one that holds it runs the autoscaler, the
 * supervisor, the async dispatcher and the sweeps; the others follow. On one machine (SQLite) a second server on
 * the same data dir is refused, naming the one that leads, instead of running every loop twice.
 */
final class LeaderLease {

    /**
     * How long a lease lasts unless renewed: how long another gateway waits after this one dies without resigning.
     * With a follower trying every {@link #TRY_EVERY}, a new leader leads within 10 s of the old one's death.
     */
    static final Duration LEASE = Duration.ofSeconds(8);

    /** How often it is renewed: several renewals fit in one lease, so one slow write does not lose it. */
    static final Duration RENEW_EVERY = Duration.ofSeconds(2);

    /** How often a follower tries to take the lead. */
    static final Duration TRY_EVERY = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger("flowhost.server");
    /** {@code <host>/<pid> <address>}: enough to tell, on the same host, whether the holder still runs. */
    private static final Pattern HOLDER = Pattern.compile("^(\\S+)/(\\d+) .*");

    private final Leadership leadership;
    private final String holder;
    private final Clock clock;
    private Term term;

    private LeaderLease(Leadership leadership, String holder, Clock clock) {
        this.leadership = leadership;
        this.holder = holder;
        this.clock = clock;
    }

    /** The holder name of a server: its host, its pid and where it listens. */
    static String holderName(String host, long pid, String listening) {
        return host + "/" + pid + " " + listening;
    }

    /**
     * Takes the lease, or fails saying who holds it (for a data dir, which one server serves at a time). A holder
     * on this host whose process is gone (killed, so it never resigned) is taken over at once.
     */
    static LeaderLease take(Leadership leadership, String holder, String thisHost, LongPredicate alive, Clock clock) {
        return tryTake(leadership, holder, thisHost, alive, clock).orElseThrow(() -> {
            var current = leadership.leader(clock.instant());
            return new IllegalStateException("another flowhost server runs on this data dir: "
                    + current.map(t -> t.holder() + " (term " + t.number() + ")")
                            .orElse("one that just started")
                    + ". Stop that one, or give this one a --data-dir of its own; several gateways share one"
                    + " state through --state postgresql://...");
        });
    }

    /**
     * Takes the lease if it is free, ran out, or its holder ran on this host in a process that is gone (killed, so
     * it never resigned: taken over at once rather than after its lease runs out); else empty.
     */
    static Optional<LeaderLease> tryTake(
            Leadership leadership, String holder, String thisHost, LongPredicate alive, Clock clock) {
        var lease = new LeaderLease(leadership, holder, clock);
        var term = leadership.lead(holder, LEASE, clock.instant());
        if (term.isEmpty()) {
            var current = leadership.leader(clock.instant());
            if (current.isPresent() && isGone(current.get().holder(), thisHost, alive)) {
                LOG.log(Level.INFO, "taking over from " + current.get().holder() + ", whose process is gone");
                leadership.resign(current.get().holder());
                term = leadership.lead(holder, LEASE, clock.instant());
            }
        }
        if (term.isEmpty()) {
            return Optional.empty();
        }
        lease.term = term.get();
        return Optional.of(lease);
    }

    /** Whether the holder ran on this host in a process that is gone; a holder elsewhere cannot be judged. */
    static boolean isGone(String holder, String thisHost, LongPredicate alive) {
        var m = HOLDER.matcher(holder);
        return m.matches() && m.group(1).equals(thisHost) && !alive.test(Long.parseLong(m.group(2)));
    }

    /**
     * Renews the lease: true while this server still leads. False once another took it (this one was stopped or cut
     * off past its lease): the caller must stop its control loops. A store that cannot be reached is not a loss yet.
     */
    boolean renew() {
        try {
            var renewed = leadership.lead(holder, LEASE, clock.instant());
            if (renewed.isEmpty()) {
                return false;
            }
            term = renewed.get();
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot renew the leadership lease (" + e.getMessage() + "); trying again");
            return true;
        }
    }

    /** The term held, the fencing token of this server's leadership. */
    Term term() {
        return term;
    }

    /** Who this server is, as the lease names it. */
    String holder() {
        return holder;
    }

    /** Gives the lease up, so that a server started next leads at once. */
    void release() {
        try {
            leadership.resign(holder);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot resign the leadership lease (" + e.getMessage() + "); it ends by itself");
        }
    }

    /** The current leader's holder name, if anyone leads. */
    Optional<String> leader() {
        return leadership.leader(clock.instant()).map(Term::holder);
    }
}
