package io.flowhost.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Windows over recorded events, with the time passed in. */
class RecordingStatsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration FIVE_MIN = Duration.ofMinutes(5);

    private final RecordingStats stats = new RecordingStats(Duration.ofMinutes(10));

    @Test
    void theErrorRatioCountsOnlyCallsInsideTheWindow() {
        for (int s = 0; s < 600; s++) {
            // The first 5 minutes: 1 call in 10 fails; the last 5: 1 in 50.
            stats.call("echo", s % (s < 300 ? 10 : 50) == 0 ? 503 : 200, Duration.ofMillis(5), T0.plusSeconds(s));
        }
        var now = T0.plusSeconds(599);
        var last5 = stats.stats("echo", FIVE_MIN, now);
        assertThat(last5.calls()).isEqualTo(300);
        assertThat(last5.errors5xx()).isEqualTo(6);
        var last10 = stats.stats("echo", Duration.ofMinutes(10), now);
        assertThat(last10.calls()).isEqualTo(600);
        assertThat(last10.errors5xx()).isEqualTo(36);
    }

    @Test
    void onlyStatuses500To599AreErrors() {
        for (int status : new int[] {200, 204, 404, 429, 499, 500, 502, 503, 504, 599}) {
            stats.call("echo", status, Duration.ZERO, T0);
        }
        assertThat(stats.stats("echo", FIVE_MIN, T0).errors5xx()).isEqualTo(5);
    }

    @Test
    void theP99OfOneToAThousandMillisecondsIsWithinTheHistogramsBound() {
        for (int ms = 1; ms <= 1000; ms++) {
            stats.call("echo", 200, Duration.ofMillis(ms), T0.plusMillis(ms * 100L)); // spread over 100 s
        }
        var p99 = stats.stats("echo", FIVE_MIN, T0.plusSeconds(100)).p99();
        // True p99: the 990th of 1000 = 990ms. Reported: the upper edge of its bucket, capped at the max (1000ms).
        assertThat(p99).isBetween(Duration.ofMillis(990), Duration.ofMillis(1000));
    }

    @Test
    void theP99IsNeverUnderAndAtMost19PercentOverTheTrueValue() {
        var random = new Random(42);
        for (int round = 0; round < 50; round++) {
            var local = new RecordingStats(FIVE_MIN);
            var latencies = new long[500];
            for (int i = 0; i < latencies.length; i++) {
                latencies[i] = (long) Math.exp(random.nextDouble(Math.log(50_000), Math.log(100e9))); // 50µs..100s
                local.call("s", 200, Duration.ofNanos(latencies[i]), T0);
            }
            Arrays.sort(latencies);
            long truth = latencies[(int) Math.ceil(0.99 * latencies.length) - 1];
            long reported = local.stats("s", FIVE_MIN, T0).p99().toNanos();
            assertThat(reported)
                    .as("round %d", round)
                    .isGreaterThanOrEqualTo(Math.min(truth, 100_000))
                    .isLessThanOrEqualTo(Math.max((long) (truth * Math.pow(2, 0.25)) + 1, 100_000));
        }
    }

    @Test
    void oneSlowCallAmongAHundredFastOnesIsNotTheP99ButTwoAre() {
        for (int i = 0; i < 99; i++) {
            stats.call("echo", 200, Duration.ofMillis(20), T0);
        }
        stats.call("echo", 200, Duration.ofSeconds(3), T0);
        assertThat(stats.stats("echo", FIVE_MIN, T0).p99()).isLessThan(Duration.ofMillis(24));
        stats.call("echo", 200, Duration.ofSeconds(3), T0);
        assertThat(stats.stats("echo", FIVE_MIN, T0).p99()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void withoutCallsThereIsNoP99() {
        stats.coldStart("echo", T0);
        assertThat(stats.stats("echo", FIVE_MIN, T0).p99()).isNull();
        assertThat(stats.stats("unknown", FIVE_MIN, T0)).isEqualTo(ServiceStats.idle("unknown"));
    }

    @Test
    void coldStartsAndCrashesAreCountedWithinTheirWindow() {
        stats.coldStart("echo", T0);
        stats.coldStart("echo", T0.plusSeconds(200));
        stats.crash("echo", T0.plusSeconds(250));
        stats.crash("echo", T0.plusSeconds(290));
        var at = stats.stats("echo", Duration.ofMinutes(2), T0.plusSeconds(300));
        assertThat(at.coldStarts()).isEqualTo(1);
        assertThat(at.crashes()).isEqualTo(2);
        assertThat(stats.stats("echo", FIVE_MIN, T0.plusSeconds(299)).coldStarts())
                .isEqualTo(2);
        assertThat(stats.stats("echo", FIVE_MIN, T0.plusSeconds(300)).coldStarts())
                .isEqualTo(1); // T0 left it
    }

    @Test
    void heldIsTheLastNumberRecordedWhateverTheWindow() {
        stats.held("echo", 12, T0);
        stats.held("echo", 4, T0.plusSeconds(5));
        assertThat(stats.stats("echo", Duration.ZERO, T0.plusSeconds(600)).held())
                .isEqualTo(4);
    }

    @Test
    void theOldestQueuedRequestKeepsAgeingUntilTheQueueEmpties() {
        stats.queued("echo", Duration.ofSeconds(30), T0);
        assertThat(stats.stats("echo", Duration.ZERO, T0.plusSeconds(90)).oldestQueued())
                .isEqualTo(Duration.ofSeconds(120));
        stats.queued("echo", null, T0.plusSeconds(100));
        assertThat(stats.stats("echo", Duration.ZERO, T0.plusSeconds(110)).oldestQueued())
                .isNull();
    }

    @Test
    void eventsOlderThanTheLongestWindowAreDroppedAndTheRingNeverMixesRounds() {
        stats.call("echo", 500, Duration.ofMillis(1), T0);
        stats.call("echo", 200, Duration.ofMillis(1), T0.plusSeconds(601)); // reuses the slot of T0 (601 slots)
        stats.call("echo", 500, Duration.ofMillis(1), T0); // now older than the ring: dropped
        var now = stats.stats("echo", Duration.ofMinutes(10), T0.plusSeconds(601));
        assertThat(now.calls()).isEqualTo(1);
        assertThat(now.errors5xx()).isZero();
    }

    @Test
    void aWindowIsCountedInWholeSlotsOfOneSecondUpToTenMinutesAndCoarserAbove() {
        assertThat(new RecordingStats(FIVE_MIN).slotWidth()).isEqualTo(Duration.ofSeconds(1));
        assertThat(new RecordingStats(Duration.ofMinutes(10)).slotWidth()).isEqualTo(Duration.ofSeconds(1));
        assertThat(new RecordingStats(Duration.ofHours(1)).slotWidth()).isEqualTo(Duration.ofSeconds(6));
        assertThat(new RecordingStats(Duration.ofHours(24)).slotWidth()).isEqualTo(Duration.ofSeconds(144));
        assertThat(RecordingStats.forRules(AlertSettings.defaults().rules()).slotWidth())
                .isEqualTo(Duration.ofSeconds(6)); // the defaults' longest window: cold starts over 1h
        assertThat(RecordingStats.forRules(List.of()).slotWidth()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anHourWindowCountsEventsAllTheWayBack() {
        var hourly = new RecordingStats(Duration.ofHours(1));
        for (int m = 0; m < 60; m++) {
            hourly.coldStart("echo", T0.plusSeconds(m * 60L));
        }
        assertThat(hourly.stats("echo", Duration.ofHours(1), T0.plusSeconds(3599))
                        .coldStarts())
                .isEqualTo(60);
    }

    @Test
    void aForgottenServiceIsNoLongerListed() {
        stats.call("echo", 200, Duration.ZERO, T0);
        stats.held("iris", 0, T0);
        assertThat(stats.services()).containsExactly("echo", "iris");
        stats.forget("echo");
        assertThat(stats.services()).containsExactly("iris");
    }
}
