package io.flowhost.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-05T20:00:00Z");

    private static History.Point at(long seconds, double calls) {
        return new History.Point(T0.plusSeconds(seconds), calls, 0, 1.0, 2.0, 1, 0);
    }

    @Test
    void keepsTheLastSpanOfEachDeploymentOldestFirst() {
        var history = new History(Duration.ofSeconds(60));
        for (long s = 0; s <= 100; s += 10) {
            history.add("a-v1", at(s, s));
        }

        assertThat(history.of("a-v1"))
                .extracting(History.Point::callsPerSecond)
                .containsExactly(40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0);
        assertThat(history.of("b-v1")).isEmpty();
    }

    @Test
    void aDeploymentWithNothingInTheSpanIsForgotten() {
        var history = new History(Duration.ofSeconds(60));
        history.add("gone-v1", at(0, 1));
        history.add("live-v1", at(30, 1));
        assertThat(history.deployments()).containsExactly("gone-v1", "live-v1");

        history.add("live-v1", at(70, 1));

        assertThat(history.deployments()).containsExactly("live-v1");
        assertThat(history.of("gone-v1")).isEmpty();
    }
}
