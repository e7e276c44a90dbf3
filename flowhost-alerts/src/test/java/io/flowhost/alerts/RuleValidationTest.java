package io.flowhost.alerts;

import static io.flowhost.alerts.TestRules.rule;
import static io.flowhost.alerts.TestRules.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rules are checked when loaded: a bad one fails naming the rule, the key, the value and what is allowed. */
class RuleValidationTest {

    record Valid(String json, RuleKind kind, double threshold, Duration window) {
        @Override
        public String toString() {
            return json;
        }
    }

    static Stream<Valid> validRules() {
        return Stream.of(
                new Valid(
                        "{'name': 'A', 'kind': 'error-ratio', 'threshold': 0.05, 'window': '5m'}",
                        RuleKind.ERROR_RATIO,
                        0.05,
                        Duration.ofMinutes(5)),
                new Valid(
                        "{'name': 'A', 'kind': 'p99-latency', 'threshold': '500ms', 'window': '1m'}",
                        RuleKind.P99_LATENCY,
                        0.5,
                        Duration.ofMinutes(1)),
                new Valid("{'name': 'A', 'kind': 'held-calls', 'threshold': 10}", RuleKind.HELD_CALLS, 10, null),
                new Valid(
                        "{'name': 'A', 'kind': 'oldest-queued', 'threshold': '2m'}", RuleKind.OLDEST_QUEUED, 120, null),
                new Valid(
                        "{'name': 'A', 'kind': 'cold-starts', 'threshold': 0, 'window': '1h'}",
                        RuleKind.COLD_STARTS,
                        0,
                        Duration.ofHours(1)),
                new Valid(
                        "{'name': 'A', 'kind': 'crash-loop', 'threshold': 3, 'window': '10m'}",
                        RuleKind.CRASH_LOOP,
                        3,
                        Duration.ofMinutes(10)));
    }

    @ParameterizedTest
    @MethodSource("validRules")
    void aValidRuleOfEachKindLoadsWithItsThresholdInTheKindsUnit(Valid valid) {
        var rule = rule(valid.json());
        assertThat(rule.kind()).isEqualTo(valid.kind());
        assertThat(rule.threshold()).isEqualTo(valid.threshold());
        assertThat(rule.window()).isEqualTo(valid.window());
        assertThat(rule.forDuration()).isZero();
        assertThat(rule.severity()).isEqualTo("warning");
        assertThat(rule.everyService()).isTrue();
        assertThat(rule.annotations()).containsKeys("summary", "description");
    }

    record Invalid(String json, String message) {
        @Override
        public String toString() {
            return json + " -> " + message;
        }
    }

    static Stream<Invalid> invalidRules() {
        var kinds = "error-ratio, p99-latency, held-calls, oldest-queued, cold-starts, crash-loop";
        return Stream.of(
                new Invalid(
                        "{'name': 'X', 'kind': 'error-ratio', 'threshold': 1.5, 'window': '5m'}",
                        "rule X: threshold: 1.5 (expected: a ratio >= 0 and < 1, e.g. 0.05 for 5%)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'error-ratio', 'threshold': -0.1, 'window': '5m'}",
                        "rule X: threshold: -0.1 (expected: a ratio >= 0 and < 1, e.g. 0.05 for 5%)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'error-ratio', 'threshold': '5%', 'window': '5m'}",
                        "rule X: threshold: \"5%\" (expected: a number for error-ratio)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'p99-latency', 'threshold': 0.5, 'window': '5m'}",
                        "rule X: threshold: 0.5 (expected: a duration such as 500ms for p99-latency)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'p99-latency', 'threshold': '0s', 'window': '5m'}",
                        "rule X: threshold: 0s (expected: 1ms..1h, a duration such as 500ms)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'p99-latency', 'threshold': '2h', 'window': '5m'}",
                        "rule X: threshold: 2h (expected: 1ms..1h, a duration such as 500ms)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'p99-latency', 'threshold': 'fast', 'window': '5m'}",
                        "rule X: threshold: 'fast' (expected: a duration such as 500ms, 30s, 5m or 1h)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'held-calls', 'threshold': 2.5}",
                        "rule X: threshold: 2.5 (expected: a whole number 0..1000000)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'held-calls', 'threshold': 10, 'window': '5m'}",
                        "rule X: window: 5m (expected: none: held-calls compares the current value; 'for' says how "
                                + "long it must stay above the threshold)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'oldest-queued', 'threshold': '200h'}",
                        "rule X: threshold: 200h (expected: 1ms..168h, a duration such as 500ms)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'cold-starts', 'threshold': 10}",
                        "rule X: window: missing (expected: 10s..24h in whole seconds)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'cold-starts', 'threshold': 10, 'window': '5s'}",
                        "rule X: window: 5s (expected: 10s..24h in whole seconds)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'crash-loop', 'threshold': 3, 'window': '90500ms'}",
                        "rule X: window: 90500ms (expected: 10s..24h in whole seconds)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'crash-loop', 'threshold': 1001, 'window': '10m'}",
                        "rule X: threshold: 1001 (expected: a whole number 0..1000)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'crash-loop', 'threshold': 3, 'window': '10m', 'for': '25h'}",
                        "rule X: for: 25h (expected: 0s..24h in whole seconds)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'latency', 'threshold': 3}",
                        "rule X: kind: latency (expected: one of: " + kinds + ")"),
                new Invalid("{'name': 'X', 'threshold': 3}", "rule X: kind: missing (expected: one of: " + kinds + ")"),
                new Invalid(
                        "{'name': 'high-errors', 'kind': 'held-calls', 'threshold': 3}",
                        "rule high-errors: name: high-errors (expected: letters, digits and _, not starting with a "
                                + "digit, e.g. FlowhostErrorRatioHigh (Prometheus alert names are metric names))"),
                new Invalid(
                        "{'kind': 'held-calls', 'threshold': 3}",
                        "rules[0]: name: missing (expected: a name such as FlowhostErrorRatioHigh)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'held-calls', 'threshold': 3, 'severity': 'page'}",
                        "rule X: severity: page (expected: critical, warning or info)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'held-calls', 'threshold': 3, 'service': 'Echo'}",
                        "rule X: service: Echo (expected: a flowhost service name (a-z, 0-9 and -), or no service for "
                                + "every service)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'held-calls', 'threshold': 3, 'labels': {'service': 'x'}}",
                        "rule X: labels: service (expected: a label other than alertname, service and severity, which "
                                + "the rule sets itself)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'held-calls', 'threshold': 3, 'labels': {'team-name': 'x'}}",
                        "rule X: labels: team-name (expected: label names of letters, digits and _)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'held-calls', 'threshold': 3, 'labels': {'team': 7}}",
                        "rule X: labels.team: 7 (expected: a text)"),
                new Invalid(
                        "{'name': 'X', 'kind': 'held-calls', 'threshold': 3, "
                                + "'annotations': {'summary': '{svc} is slow'}}",
                        "rule X: annotations.summary: '{svc} is slow' (expected: placeholders among {service}, "
                                + "{value}, {threshold}, {window}, {for}, {rule}, not {svc})"),
                new Invalid(
                        "{'name': 'X', 'kind': 'held-calls', 'treshold': 3}",
                        "rule X: treshold: unknown key (expected one of: name, kind, service, threshold, window, for, "
                                + "severity, labels, annotations)"));
    }

    @ParameterizedTest
    @MethodSource("invalidRules")
    void anInvalidRuleFailsNamingTheRuleTheKeyTheValueAndWhatIsAllowed(Invalid invalid) {
        assertThatThrownBy(() -> rule(invalid.json()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(invalid.message());
    }

    @Test
    void twoRulesWithOneNameFail() {
        var rule = "{'name': 'X', 'kind': 'held-calls', 'threshold': 3}";
        assertThatThrownBy(() -> settings("{'rules': [" + rule + ", " + rule + "]}"))
                .hasMessage("rules: X (expected: each rule name once: it is the alert's name)");
    }

    @Test
    void aRuleAboutOneServiceKeepsItsLabelsAndOverridesTheSummaryOnly() {
        var rule = rule("{'name': 'EchoSlow', 'kind': 'p99-latency', 'threshold': '250ms', 'window': '1m', "
                + "'for': '2m', 'service': 'echo', 'severity': 'critical', 'labels': {'team': 'ml'}, "
                + "'annotations': {'summary': '{service} p99 is {value}', 'runbook_url': 'https://wiki/echo'}}");
        assertThat(rule.everyService()).isFalse();
        assertThat(rule.labels()).containsExactly(Map.entry("team", "ml"));
        assertThat(rule.annotations())
                .containsEntry("summary", "{service} p99 is {value}")
                .containsEntry("runbook_url", "https://wiki/echo")
                .containsKey("description");
        assertThat(rule.condition()).isEqualTo("p99-latency > 250ms over 1m for 2m");
        assertThat(Template.render(rule.annotations().get("summary"), rule, "echo", 0.3125))
                .isEqualTo("echo p99 is 312ms");
    }
}
