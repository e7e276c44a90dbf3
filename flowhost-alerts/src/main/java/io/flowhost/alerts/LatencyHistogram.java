package io.flowhost.alerts;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Fixed log-scale latency buckets, four per doubling, from 100µs to about 148s. A percentile is reported as the upper
 * edge of the bucket it falls in, capped at the largest latency seen: never below the true value, and at most 19%
 * (2^(1/4)) above it; below 100µs it reads 100µs, above 148s the largest latency seen.
 */
final class LatencyHistogram {

    /** Bucket 0 holds [0, 100µs), bucket i holds [100µs·2^((i-1)/4), 100µs·2^(i/4)), the last one the rest. */
    static final int BUCKETS = 84;

    private static final double BASE_NANOS = 100_000;
    private static final double[] SUB = {Math.pow(2, 0.25), Math.pow(2, 0.5), Math.pow(2, 0.75)};

    private LatencyHistogram() {}

    /** The bucket of a latency; cheap (no logarithm), since it runs on every call. */
    static int bucket(long nanos) {
        if (nanos < BASE_NANOS) {
            return 0;
        }
        double r = nanos / BASE_NANOS;
        int exponent = Math.getExponent(r); // floor(log2 r)
        double mantissa = r / Math.scalb(1.0, exponent);
        int sub = mantissa < SUB[0] ? 0 : mantissa < SUB[1] ? 1 : mantissa < SUB[2] ? 2 : 3;
        return Math.min(1 + 4 * exponent + sub, BUCKETS - 1);
    }

    /** The upper edge of a bucket, in nanoseconds; the last bucket has none. */
    static long upperNanos(int bucket) {
        return bucket == BUCKETS - 1 ? Long.MAX_VALUE : Math.round(BASE_NANOS * Math.pow(2, bucket / 4.0));
    }

    /** The {@code q} quantile of merged bucket counts, capped at {@code maxNanos}; -1 when there are no counts. */
    static long quantile(long[] counts, double q, long maxNanos) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(q * total); // the 99th of 100 calls, the 990th of 1000
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperNanos(i), maxNanos);
            }
        }
        return maxNanos;
    }

    /** Adds one slot's counts into a merged array. */
    static void addTo(long[] merged, AtomicLongArray counts) {
        for (int i = 0; i < merged.length; i++) {
            merged[i] += counts.get(i);
        }
    }
}
