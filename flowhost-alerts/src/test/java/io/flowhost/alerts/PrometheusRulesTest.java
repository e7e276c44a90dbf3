package io.flowhost.alerts;

import static io.flowhost.alerts.TestRules.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The export to Prometheus alerting rules: the PromQL of each kind, the file's shape (always, with a reader of the
 * subset written), and promtool's own checks, run where promtool is installed (Debian package prometheus).
 */
class PrometheusRulesTest {

    @TempDir
    Path dir;

    record Case(String rule, String expr) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Case> kinds() {
        return Stream.of(
                new Case(
                        "{'name': 'A', 'kind': 'error-ratio', 'threshold': 0.05, 'window': '5m'}",
                        "sum by (service) (rate(flowhost_calls_seconds_count{status_class=\"5xx\"}[5m])) / sum by "
                                + "(service) (rate(flowhost_calls_seconds_count[5m])) > 0.05"),
                new Case(
                        "{'name': 'A', 'kind': 'p99-latency', 'threshold': '500ms', 'window': '5m'}",
                        "histogram_quantile(0.99, sum by (service, le) (rate(flowhost_calls_seconds_bucket[5m]))) "
                                + "> 0.5"),
                new Case(
                        "{'name': 'A', 'kind': 'held-calls', 'threshold': 50}",
                        "sum by (service) (flowhost_held_calls) > 50"),
                new Case(
                        "{'name': 'A', 'kind': 'oldest-queued', 'threshold': '5m'}",
                        "max by (service) (flowhost_async_oldest_queued_seconds) > 300"),
                new Case(
                        "{'name': 'A', 'kind': 'cold-starts', 'threshold': 10, 'window': '1h'}",
                        "sum by (service) (increase(flowhost_cold_starts_total[1h])) > 10"),
                new Case(
                        "{'name': 'A', 'kind': 'crash-loop', 'threshold': 3, 'window': '90s'}",
                        "sum by (service) (increase(flowhost_instance_crashes_total[90s])) > 3"),
                new Case(
                        "{'name': 'A', 'kind': 'error-ratio', 'threshold': 0.01, 'window': '1m', 'service': 'echo'}",
                        "sum by (service) (rate(flowhost_calls_seconds_count{status_class=\"5xx\",service=\"echo\"}"
                                + "[1m])) / sum by (service) (rate(flowhost_calls_seconds_count{service=\"echo\"}[1m]))"
                                + " > 0.01"),
                new Case(
                        "{'name': 'A', 'kind': 'held-calls', 'threshold': 0, 'service': 'iris'}",
                        "sum by (service) (flowhost_held_calls{service=\"iris\"}) > 0"));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void eachKindBecomesPromQLOverTheMetricsFlowhostExposes(Case c) {
        assertThat(PrometheusRules.expr(rule(c.rule()))).isEqualTo(c.expr());
    }

    @Test
    void aRuleIsWrittenWithItsForLabelsAndAnnotationsAsPrometheusTemplates() {
        var yaml = PrometheusRules.export(AlertSettings.defaults().rules());
        assertThat(yaml).startsWith("""
                # Prometheus alerting rules equivalent to flowhost's alert rules.
                # Written by 'flowhost alerts export --prometheus'; load it with rule_files in prometheus.yml.
                groups:
                  - name: flowhost
                    rules:
                      - alert: FlowhostErrorRatioHigh
                        expr: 'sum by (service) (rate(flowhost_calls_seconds_count{status_class="5xx"}[5m])) / sum by (service) (rate(flowhost_calls_seconds_count[5m])) > 0.05'
                        for: 2m
                        labels:
                          severity: 'critical'
                        annotations:
                          description: 'More than 5% of the calls to {{ $labels.service }} answered with a 5xx status over the last 5m.'
                          summary: '{{ $labels.service }}: {{ $value | humanizePercentage }} of calls answered 5xx over 5m'
                      - alert: FlowhostLatencyP99High
                """);
        assertThat(yaml)
                .contains("summary: '{{ $labels.service }}: p99 latency {{ $value | humanizeDuration }} over 5m'")
                .contains("summary: '{{ $labels.service }}: {{ $value }} calls held, waiting for an instance'");
    }

    @Test
    void theExportHasTheShapeOfARulesFile() {
        var custom = new Rule(
                "Quoted",
                RuleKind.HELD_CALLS,
                null,
                1,
                null,
                Duration.ofSeconds(30),
                "warning",
                Map.of("team", "ml"),
                Map.of("summary", "it's {value}:\n held", "runbook_url", "https://wiki/held#top"));
        var rules = Stream.concat(AlertSettings.defaults().rules().stream(), Stream.of(custom))
                .toList();
        var root = map(MiniYaml.parse(PrometheusRules.export(rules)));
        var groups = (List<?>) root.get("groups");
        assertThat(groups).hasSize(1);
        var group = map(groups.getFirst());
        assertThat(group.get("name")).isEqualTo("flowhost");
        var written = (List<?>) group.get("rules");
        assertThat(written).hasSameSizeAs(rules);
        for (int i = 0; i < rules.size(); i++) {
            var rule = rules.get(i);
            var w = map(written.get(i));
            assertThat(w.get("alert")).isEqualTo(rule.name());
            assertThat(w.get("expr")).isEqualTo(PrometheusRules.expr(rule));
            assertThat(w.get("for")).isEqualTo(rule.forDuration().isZero() ? null : Spans.format(rule.forDuration()));
            assertThat(map(w.get("labels")).get("severity")).isEqualTo(rule.severity());
            assertThat(map(w.get("annotations")).keySet())
                    .containsAll(rule.annotations().keySet());
        }
        var last = map(written.getLast());
        assertThat(map(last.get("labels"))).containsEntry("team", "ml");
        assertThat(map(last.get("annotations")))
                .containsEntry("summary", "it's {{ $value }}:\n held")
                .containsEntry("runbook_url", "https://wiki/held#top");
        assertThat(MiniYaml.parse(PrometheusRules.export(List.of())))
                .isEqualTo(Map.of("groups", List.of(Map.of("name", "flowhost", "rules", List.of()))));
    }

    @Test
    void promtoolAcceptsTheExportedRules() throws Exception {
        var promtool = promtool();
        if (promtool.isEmpty()) {
            // Not skipped in silence: the shape is checked above; say that promtool's check did not run.
            System.err.println("PrometheusRulesTest: promtool not found on PATH (Debian package prometheus): "
                    + "checked the rules' structure only");
            return;
        }
        var file = Files.writeString(
                dir.resolve("flowhost.rules.yml"),
                PrometheusRules.export(AlertSettings.defaults().rules()));
        var run = run(promtool.get(), "check", "rules", file.toString());
        assertThat(run.code()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: 6 rules found");
    }

    @Test
    void promtoolFiresTheExportedRulesOnSeriesThatBreachThem() throws Exception {
        var promtool = promtool();
        if (promtool.isEmpty()) {
            System.err.println("PrometheusRulesTest: promtool not found on PATH (Debian package prometheus): "
                    + "the exported rules were not run against series");
            return;
        }
        Files.writeString(
                dir.resolve("rules.yml"),
                PrometheusRules.export(AlertSettings.defaults().rules()));
        // 10% of echo's calls fail, iris's instances crash every minute, 80 calls are held for iris, and echo's
        // calls take 1-2.5s (so its p99 is above 1s): each rule fires for its service and for no other.
        var tests = Files.writeString(dir.resolve("tests.yml"), """
                rule_files: [rules.yml]
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'flowhost_calls_seconds_count{service="echo",endpoint="predict",status_class="2xx"}'
                        values: '0+540x20'
                      - series: 'flowhost_calls_seconds_count{service="echo",endpoint="predict",status_class="5xx"}'
                        values: '0+60x20'
                      - series: 'flowhost_calls_seconds_count{service="iris",endpoint="predict",status_class="2xx"}'
                        values: '0+600x20'
                      - series: 'flowhost_calls_seconds_bucket{service="echo",endpoint="predict",status_class="2xx",le="1"}'
                        values: '0x20'
                      - series: 'flowhost_calls_seconds_bucket{service="echo",endpoint="predict",status_class="2xx",le="2.5"}'
                        values: '0+540x20'
                      - series: 'flowhost_calls_seconds_bucket{service="echo",endpoint="predict",status_class="2xx",le="+Inf"}'
                        values: '0+540x20'
                      - series: 'flowhost_instance_crashes_total{service="iris"}'
                        values: '0+1x20'
                      - series: 'flowhost_held_calls{service="iris"}'
                        values: '80x20'
                    alert_rule_test:
                      - eval_time: 10m
                        alertname: FlowhostErrorRatioHigh
                        exp_alerts:
                          - exp_labels: {service: echo, severity: critical}
                            exp_annotations:
                              summary: 'echo: 10% of calls answered 5xx over 5m'
                              description: 'More than 5% of the calls to echo answered with a 5xx status over the last 5m.'
                      - eval_time: 10m
                        alertname: FlowhostLatencyP99High
                        exp_alerts:
                          - exp_labels: {service: echo, severity: warning}
                            exp_annotations:
                              summary: 'echo: p99 latency 2.485s over 5m'
                              description: 'The 99th percentile of the latency of calls to echo was above 1s over the last 5m.'
                      - eval_time: 10m
                        alertname: FlowhostInstanceCrashLoop
                        exp_alerts:
                          - exp_labels: {service: iris, severity: critical}
                            exp_annotations:
                              summary: 'iris: instances crashed 10 times in 10m'
                              description: 'Instances of iris exited unexpectedly more than 3 times in 10m: see the instance logs.'
                      - eval_time: 2m
                        alertname: FlowhostCallsHeld
                        exp_alerts:
                          - exp_labels: {service: iris, severity: warning}
                            exp_annotations:
                              summary: 'iris: 80 calls held, waiting for an instance'
                              description: 'More than 50 calls to iris are held in the gateway, waiting for an instance to start or to have room: check max-instances and the cold start time.'
                """);
        var run = run(promtool.get(), "test", "rules", tests.toString());
        assertThat(run.code()).as(run.output()).isZero();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return (Map<String, Object>) yaml;
    }

    record Run(int code, String output) {}

    private static Run run(Path promtool, String... args) throws IOException, InterruptedException {
        var command = Stream.concat(Stream.of(promtool.toString()), Arrays.stream(args))
                .toList();
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static Optional<Path> promtool() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(p -> Path.of(p, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
