package io.flowhost.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The buckets behind the p99: four per doubling from 100µs, each value inside its bucket's edges. */
class LatencyHistogramTest {

    @Test
    void everyLatencyFallsInsideItsBucketsEdges() {
        for (long nanos = 1; nanos < 200_000_000_000L; nanos = nanos * 11 / 10 + 1) {
            int b = LatencyHistogram.bucket(nanos);
            long lower = b == 0 ? 0 : LatencyHistogram.upperNanos(b - 1);
            assertThat(nanos)
                    .as("%d ns in bucket %d", nanos, b)
                    .isGreaterThanOrEqualTo(lower - 1)
                    .isLessThanOrEqualTo(LatencyHistogram.upperNanos(b));
        }
    }

    @Test
    void bucketsAreFourPerDoublingFrom100Microseconds() {
        assertThat(LatencyHistogram.bucket(99_999)).isZero();
        assertThat(LatencyHistogram.bucket(100_000)).isEqualTo(1);
        assertThat(LatencyHistogram.bucket(200_000)).isEqualTo(5);
        assertThat(LatencyHistogram.bucket(1_000_000_000)).isEqualTo(54); // 1s = 100µs * 2^13.3
        assertThat(LatencyHistogram.upperNanos(LatencyHistogram.BUCKETS - 2))
                .isBetween(148_000_000_000L, 149_000_000_000L);
        assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    void aQuantileBeyondTheLastEdgeIsTheLargestLatencySeen() {
        var counts = new long[LatencyHistogram.BUCKETS];
        counts[LatencyHistogram.BUCKETS - 1] = 1;
        assertThat(LatencyHistogram.quantile(counts, 0.99, 600_000_000_000L)).isEqualTo(600_000_000_000L);
        assertThat(LatencyHistogram.quantile(new long[LatencyHistogram.BUCKETS], 0.99, 0))
                .isEqualTo(-1);
    }
}
