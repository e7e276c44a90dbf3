package io.flowhost.domain.scaling.sim;

import io.flowhost.domain.settings.Durations;
import java.time.Duration;

/**
 * How the simulator models the platform around the autoscaler.
 *
 * @param tick      how often the autoscaler decides (the server's loop period); default 1s; 1ms..1h
 * @param coldStart how long a new instance takes to become ready; default 1s (the target of issue #4 for a small
 *                  model on this machine); 0s..1h
 */
public record SimulationOptions(Duration tick, Duration coldStart) {

    /** Checks both durations, naming the option, the value and the range. */
    public SimulationOptions {
        if (tick == null || tick.compareTo(Duration.ofMillis(1)) < 0 || tick.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("tick: " + format(tick) + " (expected: 1ms..1h)");
        }
        if (coldStart == null || coldStart.isNegative() || coldStart.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("cold-start: " + format(coldStart) + " (expected: 0s..1h)");
        }
    }

    /** A tick of 1 s and cold starts of 1 s. */
    public static SimulationOptions defaults() {
        return new SimulationOptions(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    private static String format(Duration d) {
        return d == null ? "missing" : Durations.format(d);
    }
}
