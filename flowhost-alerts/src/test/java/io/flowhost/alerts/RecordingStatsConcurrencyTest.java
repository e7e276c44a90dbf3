package io.flowhost.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many threads recording at once lose nothing, while another thread reads. */
class RecordingStatsConcurrencyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void eightThreadsRecordingIntoTheSameSecondsLoseNoCall() throws Exception {
        var stats = new RecordingStats(Duration.ofMinutes(5));
        int threads = 8;
        int callsEach = 50_000;
        var start = new CountDownLatch(1);
        // Halfway the writers wait for a read: on a loaded machine the reader might otherwise get no time at all
        // until they are done, and read nothing while they write.
        var read = new CountDownLatch(1);
        var futures = new ArrayList<Future<?>>();
        try (var pool = Executors.newFixedThreadPool(threads + 1)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsEach; i++) {
                        if (i == callsEach / 2) {
                            read.await();
                        }
                        // Ten seconds, each new one first touched by whichever thread gets there: slots are taken
                        // over while others write, the case the slot's lock is for.
                        var at = T0.plusMillis(i / (callsEach / 10) * 1000L + thread);
                        stats.call(
                                i % 2 == 0 ? "echo" : "iris",
                                i % 100 == 0 ? 500 : 200,
                                Duration.ofMillis(1 + i % 50),
                                at);
                        if (i % 1000 == 0) {
                            stats.coldStart("echo", at);
                        }
                    }
                    return null;
                }));
            }
            var reader = pool.submit(() -> {
                start.await();
                long reads = 0;
                do {
                    var s = stats.stats("echo", Duration.ofMinutes(5), T0.plusSeconds(10));
                    read.countDown(); // before the check: a failed one must not leave the writers waiting
                    assertThat(s.errors5xx()).isLessThanOrEqualTo(s.calls());
                    reads++;
                } while (!futures.stream().allMatch(Future::isDone));
                return reads;
            });
            start.countDown();
            for (var f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
        }
        var echo = stats.stats("echo", Duration.ofMinutes(5), T0.plusSeconds(10));
        var iris = stats.stats("iris", Duration.ofMinutes(5), T0.plusSeconds(10));
        assertThat(echo.calls() + iris.calls()).isEqualTo((long) threads * callsEach);
        assertThat(echo.calls()).isEqualTo((long) threads * callsEach / 2);
        assertThat(echo.errors5xx()).isEqualTo((long) threads * callsEach / 100);
        assertThat(echo.coldStarts()).isEqualTo(threads * callsEach / 1000);
        assertThat(echo.p99()).isEqualTo(Duration.ofMillis(49)); // 1, 3, .. 49 ms: the top 4% are 49 ms
    }
}
