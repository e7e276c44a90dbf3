package io.flowhost.alerts;

import static io.flowhost.alerts.TestRules.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine: evaluations on a manual clock, what it lists and notifies, and its schedule. */
class AlertEngineTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final AlertSettings SETTINGS = settings("{'evaluation-interval': '1s', 'resolved-retention': '30s', "
            + "'rules': [{'name': 'Held', 'kind': 'held-calls', 'threshold': 10, 'for': '30s'}, "
            + "{'name': 'Crashes', 'kind': 'crash-loop', 'threshold': 0, 'window': '10m', 'severity': 'critical'}]}");

    /** A notifier that keeps what it is sent. */
    static final class Recording implements AlertNotifier {
        final List<Transition> sent = new ArrayList<>();

        @Override
        public synchronized void send(List<Transition> transitions) {
            sent.addAll(transitions);
        }
    }

    private final ManualClock clock = new ManualClock(T0);
    private final FakeStats stats = new FakeStats();
    private final Recording notifier = new Recording();

    @Test
    void anAlertIsListedPendingThenFiringAndOnlyFiringIsNotified() {
        try (var engine = new AlertEngine(SETTINGS, stats, notifier, clock)) {
            stats.held("echo", 25);
            engine.evaluate();
            assertThat(engine.alerts())
                    .containsExactly(new AlertStatus(
                            "Held",
                            RuleKind.HELD_CALLS,
                            "echo",
                            "warning",
                            State.PENDING,
                            25.0,
                            10,
                            T0,
                            "echo: 25 calls held, waiting for an instance"));
            assertThat(notifier.sent).isEmpty();

            clock.advance(Duration.ofSeconds(30));
            engine.evaluate();
            assertThat(engine.alerts()).singleElement().satisfies(a -> {
                assertThat(a.state()).isEqualTo(State.FIRING);
                assertThat(a.since()).isEqualTo(T0.plusSeconds(30));
            });
            assertThat(notifier.sent).extracting(Transition::to).containsExactly(State.FIRING);
        }
    }

    @Test
    void theApiBodyListsTheAlertsAndEveryRule() {
        try (var engine = new AlertEngine(SETTINGS, stats, notifier, clock)) {
            stats.set(new ServiceStats("echo", 0, 0, null, 0, null, 0, 2));
            engine.evaluate();
            var json = engine.toJson();
            assertThat(json.path("alerts")).hasSize(1);
            var alert = json.path("alerts").get(0);
            assertThat(alert.path("rule").asText()).isEqualTo("Crashes");
            assertThat(alert.path("kind").asText()).isEqualTo("crash-loop");
            assertThat(alert.path("service").asText()).isEqualTo("echo");
            assertThat(alert.path("severity").asText()).isEqualTo("critical");
            assertThat(alert.path("state").asText()).isEqualTo("firing");
            assertThat(alert.path("value").asDouble()).isEqualTo(2.0);
            assertThat(alert.path("threshold").asDouble()).isEqualTo(0.0);
            assertThat(alert.path("since").asText()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(alert.path("summary").asText()).isEqualTo("echo: instances crashed 2 times in 10m");
            assertThat(json.path("rules"))
                    .extracting(r -> r.path("name").asText())
                    .containsExactly("Held", "Crashes");
            assertThat(json.path("rules").get(0).path("condition").asText()).isEqualTo("held-calls > 10 for 30s");
            assertThat(json.path("rules").get(0).path("window").isNull()).isTrue();
            assertThat(json.path("rules").get(1).path("window").asText()).isEqualTo("10m");
            assertThat(AlertsJson.alerts(json)).isEqualTo(engine.alerts()); // the CLI reads back what was written
        }
    }

    @Test
    void aResolvedAlertIsListedForTheRetentionThenDropped() {
        try (var engine = new AlertEngine(SETTINGS, stats, notifier, clock)) {
            stats.set(new ServiceStats("echo", 0, 0, null, 0, null, 0, 1));
            engine.evaluate();
            stats.set(ServiceStats.idle("echo"));
            clock.advance(Duration.ofSeconds(15));
            engine.evaluate();
            assertThat(engine.alerts()).extracting(AlertStatus::state).containsExactly(State.RESOLVED);
            clock.advance(Duration.ofSeconds(30));
            engine.evaluate();
            assertThat(engine.alerts()).isEmpty();
            assertThat(notifier.sent).extracting(Transition::to).containsExactly(State.FIRING, State.RESOLVED);
        }
    }

    @Test
    void theScheduleEvaluatesEveryIntervalAndSurvivesAFailingSource() {
        var calls = new AtomicInteger();
        var flaky = new StatsSource() {
            @Override
            public List<String> services() {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("the first read fails");
                }
                return List.of("echo");
            }

            @Override
            public ServiceStats stats(String service, Duration window, Instant now) {
                return new ServiceStats(service, 0, 0, null, 0, null, 0, 5);
            }
        };
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        try (var engine = new AlertEngine(SETTINGS, flaky, notifier, clock).schedule(scheduler)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !engine.alerts().isEmpty());
            assertThat(calls.get()).isGreaterThanOrEqualTo(2);
            assertThat(engine.alerts()).extracting(AlertStatus::rule).containsExactly("Crashes");
        } finally {
            scheduler.shutdownNow();
        }
    }
}
