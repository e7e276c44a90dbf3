package io.flowhost.domain.scaling.sim;

import java.util.Arrays;

/** The queueing delays of served calls, kept whole so percentiles are exact (8 bytes a call: 8 MB for a million). */
final class Delays {

    private long[] nanos = new long[1024];
    private int size;
    private long delayed;

    void add(long delay) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = delay;
        if (delay > 0) {
            delayed++;
        }
    }

    long delayed() {
        return delayed;
    }

    /** The nearest-rank percentiles in seconds (each {@code p} in 0..100); zeros when no call was served. */
    double[] percentiles(double... ps) {
        var sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        var result = new double[ps.length];
        for (int i = 0; i < ps.length && size > 0; i++) {
            int rank = (int) Math.ceil(ps[i] / 100 * size);
            result[i] = sorted[Math.max(0, Math.min(size, rank) - 1)] / 1e9;
        }
        return result;
    }
}
