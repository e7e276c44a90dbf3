package io.flowhost.alerts;

import static io.flowhost.alerts.TestRules.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Which services each rule watches, what is read, and what an alert records. */
class EvaluatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Evaluator EVALUATOR = new Evaluator(Duration.ofMinutes(15));
    private static final Rule HELD = rule("{'name': 'Held', 'kind': 'held-calls', 'threshold': 10}");
    private static final Rule ERRORS =
            rule("{'name': 'Errors', 'kind': 'error-ratio', 'threshold': 0.05, " + "'window': '5m'}");

    @Test
    void aRuleAboutEveryServiceHasOneAlertPerServiceWithItsValueAndSince() {
        var stats = new FakeStats().held("echo", 20).held("iris", 3).held("zeta", 11);
        var evaluation = EVALUATOR.evaluate(List.of(HELD), stats, AlertStates.empty(), T0);
        assertThat(evaluation.states().all())
                .extracting(AlertState::service, AlertState::state, AlertState::value, AlertState::since)
                .containsExactly(
                        Tuple.tuple("echo", State.FIRING, 20.0, T0), Tuple.tuple("zeta", State.FIRING, 11.0, T0));
        assertThat(evaluation.states().get(HELD, "echo").annotation("summary"))
                .isEqualTo("echo: 20 calls held, waiting for an instance");
    }

    @Test
    void aRuleAboutOneServiceWatchesOnlyThatOneEvenWhenItIsNotListed() {
        var rule = rule("{'name': 'EchoHeld', 'kind': 'held-calls', 'threshold': 10, 'service': 'echo'}");
        var stats = new FakeStats().held("iris", 50);
        var evaluation = EVALUATOR.evaluate(List.of(rule), stats, AlertStates.empty(), T0);
        assertThat(evaluation.states().all()).isEmpty();
        assertThat(stats.reads).containsExactly("echo/PT0S");
    }

    @Test
    void aServiceThatGoesAwayResolvesItsAlerts() {
        var stats = new FakeStats().held("echo", 20);
        var first = EVALUATOR.evaluate(List.of(HELD), stats, AlertStates.empty(), T0);
        stats.remove("echo");
        var second = EVALUATOR.evaluate(List.of(HELD), stats, first.states(), T0.plusSeconds(15));
        assertThat(second.notifications()).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(State.FIRING);
            assertThat(t.alert().state()).isEqualTo(State.RESOLVED);
            assertThat(t.alert().firingSince()).isEqualTo(T0);
            assertThat(t.alert().resolvedAt()).isEqualTo(T0.plusSeconds(15));
        });
    }

    @Test
    void noCallsIsNoDataNotABreachAndResolvesAFiringErrorRatio() {
        var stats = new FakeStats().set(new ServiceStats("echo", 100, 30, null, 0, null, 0, 0));
        var firing = EVALUATOR.evaluate(List.of(ERRORS), stats, AlertStates.empty(), T0);
        assertThat(firing.states().get(ERRORS, "echo").state()).isEqualTo(State.FIRING);
        assertThat(firing.states().get(ERRORS, "echo").value()).isEqualTo(0.3);
        assertThat(firing.states().get(ERRORS, "echo").annotation("summary"))
                .isEqualTo("echo: 30% of calls answered 5xx over 5m");

        stats.set(ServiceStats.idle("echo"));
        var resolved = EVALUATOR.evaluate(List.of(ERRORS), stats, firing.states(), T0.plusSeconds(15));
        assertThat(resolved.states().get(ERRORS, "echo").state()).isEqualTo(State.RESOLVED);
        assertThat(resolved.states().get(ERRORS, "echo").value()).isNull();
        assertThat(resolved.states().get(ERRORS, "echo").annotation("summary"))
                .isEqualTo("echo: - of calls answered 5xx over 5m");
    }

    @Test
    void eachServiceAndWindowIsReadOncePerEvaluation() {
        var slow = rule("{'name': 'Slow', 'kind': 'p99-latency', 'threshold': '1s', 'window': '5m'}");
        var crashes = rule("{'name': 'Crashes', 'kind': 'crash-loop', 'threshold': 3, 'window': '10m'}");
        var stats = new FakeStats().held("echo", 0).held("iris", 0);
        EVALUATOR.evaluate(List.of(HELD, ERRORS, slow, crashes), stats, AlertStates.empty(), T0);
        assertThat(stats.reads)
                .containsExactly("echo/PT0S", "iris/PT0S", "echo/PT5M", "iris/PT5M", "echo/PT10M", "iris/PT10M");
    }

    @Test
    void eachKindReadsItsOwnValue() {
        var stats = new ServiceStats("echo", 200, 3, Duration.ofMillis(750), 7, Duration.ofSeconds(90), 4, 2);
        assertThat(RuleKind.ERROR_RATIO.observe(stats)).hasValue(0.015);
        assertThat(RuleKind.P99_LATENCY.observe(stats)).hasValue(0.75);
        assertThat(RuleKind.HELD_CALLS.observe(stats)).hasValue(7);
        assertThat(RuleKind.OLDEST_QUEUED.observe(stats)).hasValue(90);
        assertThat(RuleKind.COLD_STARTS.observe(stats)).hasValue(4);
        assertThat(RuleKind.CRASH_LOOP.observe(stats)).hasValue(2);
        assertThat(RuleKind.P99_LATENCY.observe(ServiceStats.idle("echo"))).isEmpty();
        assertThat(RuleKind.OLDEST_QUEUED.observe(ServiceStats.idle("echo"))).isEmpty();
    }

    @Test
    void aReloadedRuleCarriesItsAlertsOnUnderItsNewSettings() {
        var slowToFire = rule("{'name': 'Held', 'kind': 'held-calls', 'threshold': 10, 'for': '10m'}");
        var quick = rule("{'name': 'Held', 'kind': 'held-calls', 'threshold': 10, 'for': '30s'}");
        var stats = new FakeStats().held("echo", 20);
        var pending = EVALUATOR.evaluate(List.of(slowToFire), stats, AlertStates.empty(), T0);
        var firing = EVALUATOR.evaluate(List.of(quick), stats, pending.states(), T0.plusSeconds(30));
        assertThat(firing.states().get(quick, "echo").state()).isEqualTo(State.FIRING);
        assertThat(firing.states().get(quick, "echo").rule()).isSameAs(quick);
    }
}
