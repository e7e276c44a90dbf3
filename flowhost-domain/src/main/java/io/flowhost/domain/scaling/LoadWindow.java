package io.flowhost.domain.scaling;

import io.flowhost.domain.settings.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Samples of a deployment's demand over time, reduced to an {@link Observed} for each decision: add one sample per
 * tick, and averages are taken over a window ending now. Not thread-safe: one loop owns it.
 */
public final class LoadWindow {

    private record Sample(Instant at, double demand) {}

    private final Duration keep;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private Instant lastActive;
    private boolean busy;

    /** A window that keeps samples for {@code keep}, which must cover the longest window averaged (the stable one). */
    public LoadWindow(Duration keep) {
        if (keep == null || keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("keep: " + keep + " (expected: > 0, at least the stable window)");
        }
        this.keep = keep;
    }

    /**
     * Records the demand at an instant: calls in flight + calls held + queued async work. Samples come in time order;
     * those older than {@code keep} are dropped.
     */
    public void add(Instant at, double demand) {
        if (!(demand >= 0) || Double.isInfinite(demand)) {
            throw new IllegalArgumentException("demand: " + demand + " (expected: >= 0)");
        }
        if (!samples.isEmpty() && at.isBefore(samples.getLast().at())) {
            throw new IllegalArgumentException("sample at " + at + " is older than the last one, "
                    + samples.getLast().at());
        }
        // Demand at this tick means a call was active now; none right after some means the last call ended between
        // the two ticks, and taking the later instant makes the idle timer start no earlier than it really did.
        if (demand > 0 || busy) {
            active(at);
        }
        busy = demand > 0;
        samples.addLast(new Sample(at, demand));
        var cutoff = at.minus(keep);
        while (!samples.getFirst().at().isAfter(cutoff)) {
            samples.removeFirst();
        }
    }

    /** Records that a call arrived, so that even a call shorter than a tick keeps the deployment from idling. */
    public void arrived(Instant at) {
        active(at);
    }

    /** Records that a call finished (or was given up) at this instant: the idle timer starts from the last of these. */
    public void finished(Instant at) {
        active(at);
    }

    /** The averages over the stable and panic windows ending at {@code now} (over the samples there are, at first). */
    public Observed observe(ScalingSettings settings, Instant now, int waiting) {
        if (settings.stableWindow().compareTo(keep) > 0) {
            throw new IllegalArgumentException("stable-window: " + Durations.format(settings.stableWindow())
                    + " (expected: <= what this window keeps, " + Durations.format(keep) + ")");
        }
        return new Observed(
                average(now, settings.stableWindow()), average(now, settings.panicWindow()), lastActive, waiting);
    }

    /** The last instant a call arrived, was in flight, was held or finished; null if never. */
    public Instant lastActive() {
        return lastActive;
    }

    /** How many samples are kept now. */
    public int size() {
        return samples.size();
    }

    /**
     * The mean of the samples in (now - window, now]. With ticks of 1 s a 6 s window holds 6 samples. Before the
     * window has filled, the mean is over the samples there are, so the first burst after a start counts fully.
     */
    private double average(Instant now, Duration window) {
        var from = now.minus(window);
        double sum = 0;
        int n = 0;
        var newest = samples.descendingIterator();
        while (newest.hasNext()) {
            var sample = newest.next();
            if (!sample.at().isAfter(from)) {
                break;
            }
            if (!sample.at().isAfter(now)) {
                sum += sample.demand();
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private void active(Instant at) {
        if (lastActive == null || at.isAfter(lastActive)) {
            lastActive = at;
        }
    }
}
