package io.flowhost.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-05T20:00:00Z");

    private static History.Point at(long seconds, double calls) {
        return new History.Point(T0.plusSeconds(seconds), calls, 0, 1.0, 2.0, 1, 0, 0, 0);
    }

    @Test
    void keepsTheLastPointsOfEachDeploymentOldestFirst() {
        var history = new History(Duration.ofSeconds(10));
        for (long s = 0; s < 10L * (History.POINTS + 5); s += 10) {
            history.add("a-v1", at(s, s));
        }

        var kept = history.of("a-v1");
        assertThat(kept).hasSize(History.POINTS);
        assertThat(kept.getFirst().callsPerSecond()).isEqualTo(50.0);
        assertThat(kept.getLast().callsPerSecond()).isEqualTo(10.0 * (History.POINTS + 4));
        assertThat(history.of("b-v1")).isEmpty();
    }

    @Test
    void aDeploymentWithNothingInTheSpanIsForgotten() {
        var history = new History(Duration.ofSeconds(1)); // a span of 360 s
        history.add("gone-v1", at(0, 1));
        history.add("live-v1", at(300, 1));
        assertThat(history.deployments()).containsExactly("gone-v1", "live-v1");

        history.add("live-v1", at(361, 1));

        assertThat(history.deployments()).containsExactly("live-v1");
        assertThat(history.of("gone-v1")).isEmpty();
        assertThat(history.of("live-v1")).hasSize(2);
    }
}
