package io.flowhost.alerts;

import static io.flowhost.alerts.TestRules.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One alert's life, an evaluation every 15 s on a manual clock: held calls per tick against a threshold of 10, the
 * state after each tick (I inactive, P pending, F firing, R resolved) and every transition with its time.
 */
class AlertStateMachineTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration TICK = Duration.ofSeconds(15);
    private static final Evaluator EVALUATOR = new Evaluator(Duration.ofSeconds(30)); // resolved listed for 30 s

    record Scenario(String name, String forDuration, int[] held, String states, String transitions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Scenario scenario(String name, String forDuration, String held, String states, String transitions) {
        return new Scenario(
                name,
                forDuration,
                Stream.of(held.split(" ")).mapToInt(Integer::parseInt).toArray(),
                states,
                transitions);
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                scenario(
                        "pending first, firing once the condition has held for 'for'",
                        "1m",
                        "0 20 20 20 20 20 20",
                        "IPPPPFF",
                        "15s:inactive>pending 75s:pending>firing"),
                scenario(
                        "a flapping condition starts 'for' over",
                        "1m",
                        "20 20 20 0 20 20 20 20 20",
                        "PPPIPPPPF",
                        "0s:inactive>pending 45s:pending>inactive 60s:inactive>pending 120s:pending>firing"),
                scenario("at the threshold is not above it", "0s", "10 10 10", "III", ""),
                scenario("'for' 0s fires at once", "0s", "0 20 20", "IFF", "15s:inactive>firing"),
                scenario(
                        "resolved when the condition stops, listed a while, then inactive",
                        "0s",
                        "20 0 0 0 0",
                        "FRRII",
                        "0s:inactive>firing 15s:firing>resolved 45s:resolved>inactive"),
                scenario(
                        "a resolved alert whose condition holds again starts a new episode",
                        "30s",
                        "20 20 20 0 20 20 20",
                        "PPFRPPF",
                        "0s:inactive>pending 30s:pending>firing 45s:firing>resolved 60s:resolved>pending "
                                + "90s:pending>firing"),
                scenario(
                        "firing stays firing while the condition holds, however long",
                        "15s",
                        "20 20 20 20 20 20 20 20",
                        "PFFFFFFF",
                        "0s:inactive>pending 15s:pending>firing"));
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void theAlertMovesThroughItsStates(Scenario s) {
        var rule = rule("{'name': 'Held', 'kind': 'held-calls', 'threshold': 10, 'for': '" + s.forDuration() + "'}");
        var stats = new FakeStats();
        var states = AlertStates.empty();
        var seen = new StringBuilder();
        var transitions = new ArrayList<String>();
        for (int tick = 0; tick < s.held().length; tick++) {
            var now = START.plus(TICK.multipliedBy(tick));
            stats.held("echo", s.held()[tick]);
            var evaluation = EVALUATOR.evaluate(List.of(rule), stats, states, now);
            states = evaluation.states();
            seen.append(states.get(rule, "echo").state().name().charAt(0));
            evaluation
                    .transitions()
                    .forEach(t -> transitions.add(Duration.between(START, t.at())
                                    .toSeconds() + "s:" + t.from().label() + ">" + t.to().label()));
        }
        assertThat(seen.toString()).isEqualTo(s.states());
        assertThat(String.join(" ", transitions)).isEqualTo(s.transitions());
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void onlyFiringAndResolvedAreNotified(Scenario s) {
        var rule = rule("{'name': 'Held', 'kind': 'held-calls', 'threshold': 10, 'for': '" + s.forDuration() + "'}");
        var stats = new FakeStats();
        var states = AlertStates.empty();
        var notified = new ArrayList<State>();
        for (int tick = 0; tick < s.held().length; tick++) {
            stats.held("echo", s.held()[tick]);
            var now = START.plus(TICK.multipliedBy(tick));
            var evaluation = EVALUATOR.evaluate(List.of(rule), stats, states, now);
            states = evaluation.states();
            evaluation.notifications().forEach(t -> notified.add(t.to()));
        }
        var expected = IntStream.range(0, s.states().length())
                .filter(i -> s.states().charAt(i) != 'P'
                        && s.states().charAt(i) != 'I'
                        && (i == 0 || s.states().charAt(i - 1) != s.states().charAt(i)))
                .mapToObj(i -> s.states().charAt(i) == 'F' ? State.FIRING : State.RESOLVED)
                .collect(Collectors.toList());
        assertThat(notified).isEqualTo(expected);
    }
}
