package io.flowhost.alerts;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules as a Prometheus alerting rules file, for teams whose alerting runs in Prometheus: the same conditions,
 * over the metrics flowhost exposes at {@code /metrics}, one group named {@code flowhost}.
 */
public final class PrometheusRules {

    static final String CALLS = "flowhost_calls_seconds_count";
    static final String BUCKETS = "flowhost_calls_seconds_bucket";
    static final String HELD = "flowhost_held_calls";
    static final String OLDEST_QUEUED = "flowhost_async_oldest_queued_seconds";
    static final String COLD_STARTS = "flowhost_cold_starts_total";
    static final String CRASHES = "flowhost_instance_crashes_total";

    private PrometheusRules() {}

    /** The rules file, as YAML that {@code promtool check rules} accepts. */
    public static String export(List<Rule> rules) {
        var out = new StringBuilder("""
                # Prometheus alerting rules equivalent to flowhost's alert rules.
                # Written by 'flowhost alerts export --prometheus'; load it with rule_files in prometheus.yml.
                groups:
                  - name: flowhost
                    rules:
                """);
        if (rules.isEmpty()) {
            out.setLength(out.length() - "\n".length());
            out.append(" []\n");
        }
        for (var rule : rules) {
            out.append("      - alert: ").append(rule.name()).append('\n');
            out.append("        expr: ").append(quote(expr(rule))).append('\n');
            if (!rule.forDuration().isZero()) {
                out.append("        for: ")
                        .append(Spans.format(rule.forDuration()))
                        .append('\n');
            }
            var labels = new TreeMap<>(rule.labels());
            labels.put("severity", rule.severity());
            map(out, "labels", labels);
            var annotations = new TreeMap<String, String>();
            rule.annotations().forEach((name, text) -> annotations.put(name, Template.toPrometheus(text, rule)));
            map(out, "annotations", annotations);
        }
        return out.toString();
    }

    /** The PromQL condition of a rule, per service; e.g. p99: {@code histogram_quantile(0.99, ...) > 0.5}. */
    static String expr(Rule rule) {
        var w = rule.window() == null ? "" : "[" + Spans.format(rule.window()) + "]";
        var t = number(rule.threshold());
        return switch (rule.kind()) {
            case ERROR_RATIO ->
                "sum by (service) (rate(" + CALLS + select(rule, "status_class=\"5xx\"") + w
                        + ")) / sum by (service) (rate(" + CALLS + select(rule, null) + w + ")) > " + t;
            case P99_LATENCY ->
                "histogram_quantile(0.99, sum by (service, le) (rate(" + BUCKETS + select(rule, null) + w + "))) > "
                        + t;
            case HELD_CALLS -> "sum by (service) (" + HELD + select(rule, null) + ") > " + t;
            case OLDEST_QUEUED -> "max by (service) (" + OLDEST_QUEUED + select(rule, null) + ") > " + t;
            case COLD_STARTS -> "sum by (service) (increase(" + COLD_STARTS + select(rule, null) + w + ")) > " + t;
            case CRASH_LOOP -> "sum by (service) (increase(" + CRASHES + select(rule, null) + w + ")) > " + t;
        };
    }

    /** The label matchers: the rule's service (names are [a-z0-9-], safe in a PromQL string) and one more. */
    private static String select(Rule rule, String matcher) {
        var parts = new StringBuilder();
        if (matcher != null) {
            parts.append(matcher);
        }
        if (!rule.everyService()) {
            parts.append(parts.isEmpty() ? "" : ",")
                    .append("service=\"")
                    .append(rule.service())
                    .append('"');
        }
        return parts.isEmpty() ? "" : "{" + parts + "}";
    }

    private static void map(StringBuilder out, String key, Map<String, String> map) {
        out.append("        ").append(key).append(":\n");
        map.forEach((name, value) -> out.append("          ")
                .append(name)
                .append(": ")
                .append(quote(value))
                .append('\n'));
    }

    /** 0.05, 300, 1.5: no exponent, no trailing zeros. */
    static String number(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /**
     * A YAML scalar that reads back as the same text: single-quoted (PromQL's double quotes stay readable), or
     * JSON-style double-quoted when it holds a line break or other control character.
     */
    static String quote(String s) {
        if (s.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
            return "'" + s.replace("'", "''") + "'";
        }
        var out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
