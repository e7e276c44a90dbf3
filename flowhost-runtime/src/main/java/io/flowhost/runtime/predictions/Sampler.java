package io.flowhost.runtime.predictions;

import java.util.function.DoubleSupplier;

/**
 * Decides which calls are logged: each with the sampling rate's probability, independently of the others.
 *
 * @param rate the share of calls logged, 0..1
 * @param random uniform numbers in [0, 1), safe to call from many threads at once
 */
record Sampler(double rate, DoubleSupplier random) {

    /** Whether to log this call; rates 0 and 1 decide without drawing a number. */
    boolean sample() {
        return rate >= 1 || (rate > 0 && random.getAsDouble() < rate);
    }
}
