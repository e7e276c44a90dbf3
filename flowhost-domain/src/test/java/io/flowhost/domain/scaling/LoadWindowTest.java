package io.flowhost.domain.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadWindowTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final ScalingSettings SETTINGS =
            ScalingSettings.defaults().with(Map.of("stable-window", "10s", "panic-window", "2s"));

    private final LoadWindow window = new LoadWindow(Duration.ofSeconds(10));

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void averagesTheSamplesOfEachWindowEndingNow() {
        for (int t = 1; t <= 10; t++) {
            window.add(at(t), t); // 1, 2, ... 10
        }
        var observed = window.observe(SETTINGS, at(10), 3);
        assertThat(observed.stableAverage()).isEqualTo(5.5); // (1 + ... + 10) / 10
        assertThat(observed.panicAverage()).isEqualTo(9.5); // (9 + 10) / 2: the window is (8s, 10s]
        assertThat(observed.waiting()).isEqualTo(3);
    }

    @Test
    void beforeAWindowFillsItAveragesTheSamplesThereAre() {
        window.add(at(1), 12);
        assertThat(window.observe(SETTINGS, at(1), 0).stableAverage()).isEqualTo(12);
    }

    @Test
    void samplesOlderThanKeepAreDropped() {
        for (int t = 1; t <= 100; t++) {
            window.add(at(t), 1);
        }
        assertThat(window.size()).isEqualTo(10); // (90s, 100s]
    }

    @Test
    void withNoSampleInTheWindowTheAverageIsZero() {
        window.add(at(1), 8);
        assertThat(window.observe(SETTINGS, at(30), 0).stableAverage()).isZero();
        assertThat(Observed.none().stableAverage()).isZero();
    }

    @Test
    void lastActiveIsTheLastArrivalOrSampleWithDemand() {
        assertThat(window.observe(SETTINGS, at(0), 0).lastActive()).isNull();
        window.arrived(at(2));
        window.add(at(3), 0);
        assertThat(window.lastActive()).isEqualTo(at(2));
        window.add(at(4), 1);
        assertThat(window.lastActive()).isEqualTo(at(4));
    }

    @Test
    void theFirstIdleSampleAfterDemandCountsAsActiveBecauseTheCallEndedSometimeBetween() {
        window.add(at(1), 2);
        window.add(at(2), 0);
        window.add(at(3), 0);
        assertThat(window.lastActive()).isEqualTo(at(2));
    }

    @Test
    void aFinishedCallMovesLastActiveButNeverBack() {
        window.finished(at(5));
        window.arrived(at(4));
        assertThat(window.lastActive()).isEqualTo(at(5));
    }

    @Test
    void samplesMustComeInTimeOrder() {
        window.add(at(5), 1);
        assertThatThrownBy(() -> window.add(at(4), 1)).hasMessageContaining("older than the last one");
    }

    @Test
    void negativeDemandIsABug() {
        assertThatThrownBy(() -> window.add(at(1), -1)).hasMessage("demand: -1.0 (expected: >= 0)");
    }

    @Test
    void aStableWindowLongerThanWhatIsKeptIsRefused() {
        assertThatThrownBy(() -> window.observe(ScalingSettings.defaults(), at(1), 0))
                .hasMessage("stable-window: 60s (expected: <= what this window keeps, 10s)");
    }
}
