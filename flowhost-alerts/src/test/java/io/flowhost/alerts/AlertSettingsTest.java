package io.flowhost.alerts;

import static io.flowhost.alerts.TestRules.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The settings file: defaults, webhooks, top-level keys, and errors that name the file. */
class AlertSettingsTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultsHaveOneRuleOfEachKindAndNoWebhook() {
        var defaults = AlertSettings.defaults();
        assertThat(defaults.rules()).extracting(Rule::kind).containsExactlyInAnyOrder(RuleKind.values());
        assertThat(defaults.evaluationInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(defaults.resolvedRetention()).isEqualTo(Duration.ofMinutes(15));
        assertThat(defaults.webhooks()).isEmpty();
        assertThat(defaults.externalUrl()).isEmpty();
        assertThat(defaults.rules())
                .extracting(Rule::condition)
                .containsExactly(
                        "error-ratio > 5% over 5m for 2m",
                        "p99-latency > 1s over 5m for 5m",
                        "held-calls > 50 for 1m",
                        "oldest-queued > 5m for 1m",
                        "cold-starts > 10 over 1h",
                        "crash-loop > 3 over 10m");
    }

    @Test
    void aWebhookTakesItsDefaultsAndItsOwnValues() {
        var s = settings("{'external-url': 'http://flowhost:8080/', 'webhooks': [{'url': 'http://am:9093/hook'}, "
                + "{'name': 'ops', 'url': 'https://ops/x', 'timeout': '2s', 'max-attempts': 5, "
                + "'retry-backoff': '50ms'}]}");
        assertThat(s.webhooks())
                .containsExactly(
                        Webhook.to("webhook", URI.create("http://am:9093/hook")),
                        new Webhook(
                                "ops", URI.create("https://ops/x"), Duration.ofSeconds(2), 5, Duration.ofMillis(50)));
        assertThat(s.externalUrl()).isEqualTo("http://flowhost:8080");
        assertThat(s.rules()).isEmpty();
    }

    record Invalid(String json, String message) {
        @Override
        public String toString() {
            return json + " -> " + message;
        }
    }

    static Stream<Invalid> invalidSettings() {
        return Stream.of(
                new Invalid("{'evaluation-interval': '0s'}", "evaluation-interval: 0s (expected: 1s..10m)"),
                new Invalid("{'evaluation-interval': 15}", "evaluation-interval: 15 (expected: a text)"),
                new Invalid(
                        "{'resolved-retention': '2d'}",
                        "resolved-retention: '2d' (expected: a duration such as " + "500ms, 30s, 5m or 1h)"),
                new Invalid(
                        "{'rule': []}",
                        "rule: unknown key (expected one of: evaluation-interval, "
                                + "resolved-retention, external-url, webhooks, rules)"),
                new Invalid("{'rules': {}}", "rules: {} (expected: a list)"),
                new Invalid("[]", "expected a JSON object with \"rules\" (and \"webhooks\")"),
                new Invalid(
                        "{'webhooks': [{'url': 'ftp://am/hook'}]}",
                        "webhook webhook: url: ftp://am/hook "
                                + "(expected: an http or https URL such as http://alertmanager:9093/hook)"),
                new Invalid(
                        "{'webhooks': [{'name': 'ops'}]}",
                        "webhook ops: url: missing (expected: an http or " + "https URL)"),
                new Invalid(
                        "{'webhooks': [{'name': 'ops', 'url': 'http://am/', 'max-attempts': 0}]}",
                        "webhook ops: max-attempts: 0 (expected: 1..10)"),
                new Invalid(
                        "{'webhooks': [{'name': 'ops', 'url': 'http://am/', 'max-attempts': 1.5}]}",
                        "webhook ops: max-attempts: 1.5 (expected: a whole number 1..10)"),
                new Invalid(
                        "{'webhooks': [{'name': 'ops', 'url': 'http://am/', 'timeout': '10m'}]}",
                        "webhook ops: timeout: 10m (expected: 100ms..5m)"),
                new Invalid(
                        "{'webhooks': [{'url': 'http://am/', 'secret': 'x'}]}",
                        "webhooks[0]: secret: unknown key "
                                + "(expected one of: name, url, timeout, max-attempts, retry-backoff)"));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void invalidSettingsFailNamingTheKeyAndWhatIsAllowed(Invalid invalid) {
        assertThatThrownBy(() -> settings(invalid.json()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(invalid.message());
    }

    @Test
    void aFileWithAnErrorIsNamedInTheMessage() throws IOException {
        var file = Files.writeString(
                dir.resolve("alerts.json"),
                "{\"rules\": [{\"name\": \"X\", \"kind\": " + "\"held-calls\", \"threshold\": -1}]}");
        assertThatThrownBy(() -> AlertSettings.load(file))
                .hasMessage(file + ": rule X: threshold: -1 (expected: a whole number 0..1000000)");
    }

    @Test
    void badJsonIsReportedWithItsLineAndColumn() throws IOException {
        var file = Files.writeString(dir.resolve("alerts.json"), "{\n  \"rules\": [,]\n}");
        assertThatThrownBy(() -> AlertSettings.load(file))
                .hasMessageStartingWith(file + ": not valid JSON at line 2, " + "column 13: ");
    }

    @Test
    void aMissingFileSaysSo() {
        var file = dir.resolve("none.json");
        assertThatThrownBy(() -> AlertSettings.load(file)).hasMessage(file + ": no such file");
    }

    @Test
    void theDefaultsFileLoadsAsAUsersFileWould() throws IOException {
        var file = Files.writeString(dir.resolve("alerts.json"), AlertSettings.defaultsJson());
        assertThat(AlertSettings.load(file)).isEqualTo(AlertSettings.defaults());
        assertThat(Arrays.stream(RuleKind.values()).map(RuleKind::key))
                .allSatisfy(kind -> assertThat(AlertSettings.defaultsJson()).contains("\"" + kind + "\""));
    }
}
