package io.flowhost.alerts;

import static io.flowhost.alerts.TestRules.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.state.sqlite.SqliteStateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An engine started again on the same state store goes on where the last one was. */
class AlertMemoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AlertSettings SETTINGS = settings("{'evaluation-interval': '1s', "
            + "'rules': [{'name': 'Held', 'kind': 'held-calls', 'threshold': 10, 'for': '30s'}]}");

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock(T0);
    private final FakeStats stats = new FakeStats();

    @Test
    void aFiringAlertIsNotNotifiedAgainAfterARestart() {
        try (var state = SqliteStateStore.open(dataDir)) {
            var first = new AlertEngineTest.Recording();
            try (var engine = new AlertEngine(SETTINGS, stats, first, clock, state.alerts())) {
                stats.held("echo", 25);
                engine.evaluate();
                clock.advance(Duration.ofSeconds(30));
                engine.evaluate();
            }
            assertThat(first.sent).extracting(Transition::to).containsExactly(State.FIRING);
        }

        try (var state = SqliteStateStore.open(dataDir)) {
            var second = new AlertEngineTest.Recording();
            try (var engine = new AlertEngine(SETTINGS, stats, second, clock, state.alerts())) {
                clock.advance(Duration.ofSeconds(1));
                engine.evaluate();

                assertThat(second.sent).isEmpty();
                assertThat(engine.alerts()).singleElement().satisfies(a -> {
                    assertThat(a.state()).isEqualTo(State.FIRING);
                    assertThat(a.since()).isEqualTo(T0.plusSeconds(30));
                });
            }
        }
    }

    @Test
    void aPendingAlertKeepsItsTimeAcrossARestart() {
        try (var state = SqliteStateStore.open(dataDir)) {
            try (var engine =
                    new AlertEngine(SETTINGS, stats, new AlertEngineTest.Recording(), clock, state.alerts())) {
                stats.held("echo", 25);
                engine.evaluate(); // pending since T0
            }
        }
        clock.advance(Duration.ofSeconds(30));

        try (var state = SqliteStateStore.open(dataDir)) {
            var notified = new AlertEngineTest.Recording();
            try (var engine = new AlertEngine(SETTINGS, stats, notified, clock, state.alerts())) {
                engine.evaluate();

                assertThat(notified.sent).extracting(Transition::to).containsExactly(State.FIRING);
            }
        }
    }

    @Test
    void anAlertOfARuleNoLongerConfiguredIsForgotten() {
        try (var state = SqliteStateStore.open(dataDir)) {
            try (var engine =
                    new AlertEngine(SETTINGS, stats, new AlertEngineTest.Recording(), clock, state.alerts())) {
                stats.held("echo", 25);
                engine.evaluate();
            }
        }
        var other = settings("{'rules': [{'name': 'Crashes', 'kind': 'crash-loop', 'threshold': 0, 'window': '10m'}]}");

        try (var state = SqliteStateStore.open(dataDir)) {
            try (var engine = new AlertEngine(other, stats, new AlertEngineTest.Recording(), clock, state.alerts())) {
                assertThat(engine.alerts()).isEmpty();
            }
        }
    }
}
