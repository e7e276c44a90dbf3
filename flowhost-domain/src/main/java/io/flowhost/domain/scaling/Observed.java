package io.flowhost.domain.scaling;

import java.time.Instant;

/**
 * What the gateway saw of a deployment's load, reduced for one decision.
 *
 * @param stableAverage mean concurrent demand (calls in flight + calls held in the gateway + queued async work) over
 *                      the stable window
 * @param panicAverage  the same over the panic window
 * @param lastActive    the last instant any call was in flight, held or arrived; null if there never was one
 * @param waiting       calls held in the gateway right now (cold start or over capacity)
 */
public record Observed(double stableAverage, double panicAverage, Instant lastActive, int waiting) {

    /** Refuses negative or non-finite demand, which would be a bug in whatever measured it. */
    public Observed {
        if (!(stableAverage >= 0 && panicAverage >= 0)
                || Double.isInfinite(stableAverage)
                || Double.isInfinite(panicAverage)) {
            throw new IllegalArgumentException("demand: " + stableAverage + " / " + panicAverage + " (expected: >= 0)");
        }
        if (waiting < 0) {
            throw new IllegalArgumentException("waiting: " + waiting + " (expected: >= 0)");
        }
    }

    /** No load at all, and never any. */
    public static Observed none() {
        return new Observed(0, 0, null, 0);
    }
}
