package io.flowhost.alerts;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Annotation text with placeholders, filled for one alert: {@code {service}}, {@code {value}} (the value observed),
 * {@code {threshold}}, {@code {window}}, {@code {for}} and {@code {rule}}; values are written in the kind's unit.
 */
final class Template {

    /** The placeholders annotation text may use. */
    static final List<String> PLACEHOLDERS = List.of("service", "value", "threshold", "window", "for", "rule");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");

    private static final Map<RuleKind, String> SUMMARIES = Map.of(
            RuleKind.ERROR_RATIO, "{service}: {value} of calls answered 5xx over {window}",
            RuleKind.P99_LATENCY, "{service}: p99 latency {value} over {window}",
            RuleKind.HELD_CALLS, "{service}: {value} calls held, waiting for an instance",
            RuleKind.OLDEST_QUEUED, "{service}: the oldest queued request has waited {value}",
            RuleKind.COLD_STARTS, "{service}: {value} cold starts in {window}",
            RuleKind.CRASH_LOOP, "{service}: instances crashed {value} times in {window}");

    private static final Map<RuleKind, String> DESCRIPTIONS = Map.of(
            RuleKind.ERROR_RATIO,
                    "More than {threshold} of the calls to {service} answered with a 5xx status over "
                            + "the last {window}.",
            RuleKind.P99_LATENCY,
                    "The 99th percentile of the latency of calls to {service} was above {threshold} "
                            + "over the last {window}.",
            RuleKind.HELD_CALLS,
                    "More than {threshold} calls to {service} are held in the gateway, waiting for an "
                            + "instance to start or to have room: check max-instances and the cold start time.",
            RuleKind.OLDEST_QUEUED,
                    "The oldest queued asynchronous request of {service} has waited more than "
                            + "{threshold}: the service is not keeping up with its queue.",
            RuleKind.COLD_STARTS,
                    "{service} cold-started more than {threshold} times in {window}: consider "
                            + "min-instances or a longer idle-timeout.",
            RuleKind.CRASH_LOOP,
                    "Instances of {service} exited unexpectedly more than {threshold} times in "
                            + "{window}: see the instance logs.");

    private Template() {}

    static String defaultSummary(RuleKind kind) {
        return SUMMARIES.get(kind);
    }

    static String defaultDescription(RuleKind kind) {
        return DESCRIPTIONS.get(kind);
    }

    /** Fails on text that is missing or names a placeholder there is not. */
    static void check(String key, String text) {
        if (text == null) {
            throw Invalid.of(key, "null", "a text");
        }
        var m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw Invalid.of(
                        key,
                        "'" + text + "'",
                        "placeholders among {" + String.join("}, {", PLACEHOLDERS) + "}, not {" + m.group(1) + "}");
            }
        }
    }

    /** The text for one alert of the rule, with {@code value} null written as {@code -} (no data). */
    static String render(String text, Rule rule, String service, Double value) {
        return replace(text, name -> switch (name) {
            case "service" -> service;
            case "value" -> value == null ? "-" : rule.kind().format(value);
            default -> fixed(rule, name);
        });
    }

    /** The text as a Prometheus template: the service and value come from the alert, the rest is written out. */
    static String toPrometheus(String text, Rule rule) {
        return replace(text, name -> switch (name) {
            case "service" -> "{{ $labels.service }}";
            case "value" ->
                switch (rule.kind().unit()) {
                    case RATIO -> "{{ $value | humanizePercentage }}";
                    case SECONDS -> "{{ $value | humanizeDuration }}";
                    case COUNT -> "{{ $value }}";
                };
            default -> fixed(rule, name);
        });
    }

    private static String fixed(Rule rule, String name) {
        return switch (name) {
            case "threshold" -> rule.kind().formatThreshold(rule.threshold());
            case "window" -> rule.window() == null ? "now" : Spans.format(rule.window());
            case "for" -> Spans.format(rule.forDuration());
            default -> rule.name();
        };
    }

    private static String replace(String text, Function<String, String> value) {
        return PLACEHOLDER.matcher(text).replaceAll(m -> Matcher.quoteReplacement(value.apply(m.group(1))));
    }
}
