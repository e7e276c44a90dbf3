package io.flowhost.alerts;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One alerting rule, validated when built: a bad value fails naming the rule, the key, the value and what is allowed,
 * e.g. {@code rule SlowCalls: threshold: 0s (expected: 1ms..1h, a duration such as 500ms)}.
 *
 * @param name        {@code name}: the alert's name, also Prometheus's {@code alertname}, so a metric-name-like
 *                    identifier such as {@code FlowhostErrorRatioHigh}
 * @param kind        {@code kind}: what is watched, see {@link RuleKind}
 * @param service     {@code service}: the one service watched, or null for every service (one alert each)
 * @param threshold   {@code threshold}: fires when the value is above it, in the kind's unit (ratio, seconds, count);
 *                    written as a duration ({@code 500ms}) for the duration kinds
 * @param window      {@code window}: how far back events are counted, 10s..24h; only for windowed kinds, null for
 *                    the gauges (held calls, oldest queued), which compare the current value
 * @param forDuration {@code for}: how long the condition must hold before the alert fires, 0s..24h (0s: at once)
 * @param severity    {@code severity}: critical, warning (default) or info; sent as a label
 * @param labels      {@code labels}: more labels sent with the alert; not alertname, service or severity
 * @param annotations {@code annotations}: always a summary and a description (defaults per kind), and any others;
 *                    text may hold the placeholders {@code {service}}, {@code {value}} (the value observed),
 *                    {@code {threshold}}, {@code {window}}, {@code {for}} and {@code {rule}}
 */
public record Rule(
        String name,
        RuleKind kind,
        String service,
        double threshold,
        Duration window,
        Duration forDuration,
        String severity,
        Map<String, String> labels,
        Map<String, String> annotations) {

    /** The severities a rule may have. */
    public static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    // Prometheus wants alert names to be metric names, and label names to be identifiers.
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    // As flowhost names services, so that a name is always safe inside a PromQL string.
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Set<String> RESERVED_LABELS = Set.of("alertname", "service", "severity");
    private static final Duration DAY = Duration.ofDays(1);

    /** Checks every value and fills in the default summary and description. */
    public Rule {
        try {
            if (name == null || !NAME.matcher(name).matches()) {
                throw Invalid.of(
                        "name",
                        name,
                        "letters, digits and _, not starting with a digit, e.g. "
                                + "FlowhostErrorRatioHigh (Prometheus alert names are metric names)");
            }
            if (kind == null) {
                throw Invalid.of("kind", "missing", "one of: " + RuleKind.keys());
            }
            if (service != null && !SERVICE.matcher(service).matches()) {
                throw Invalid.of(
                        "service",
                        service,
                        "a flowhost service name (a-z, 0-9 and -), or no service " + "for every service");
            }
            Thresholds.check(kind, threshold);
            checkWindow(kind, window);
            checkWhole("for", forDuration, Duration.ZERO, DAY);
            if (!SEVERITIES.contains(severity)) {
                throw Invalid.of("severity", severity, "critical, warning or info");
            }
            labels = checkLabels(labels);
            annotations = withDefaults(kind, annotations);
        } catch (IllegalArgumentException e) {
            throw Invalid.in("rule " + name, e);
        }
    }

    /** Whether this rule watches every service rather than one. */
    public boolean everyService() {
        return service == null;
    }

    /** The condition in words, e.g. {@code error-ratio > 5% over 5m for 2m}. */
    public String condition() {
        return kind.key() + " > " + kind.formatThreshold(threshold)
                + (window == null ? "" : " over " + Spans.format(window))
                + (forDuration.isZero() ? "" : " for " + Spans.format(forDuration));
    }

    private static void checkWindow(RuleKind kind, Duration window) {
        if (kind.windowed()) {
            checkWhole("window", window, Duration.ofSeconds(10), DAY);
        } else if (window != null) {
            throw Invalid.of(
                    "window",
                    Spans.format(window),
                    "none: " + kind.key() + " compares the current "
                            + "value; 'for' says how long it must stay above the threshold");
        }
    }

    /** A duration of whole seconds in {@code [min, max]}, as Prometheus writes ranges. */
    static void checkWhole(String key, Duration value, Duration min, Duration max) {
        var expected = Spans.format(min) + ".." + Spans.format(max) + " in whole seconds";
        if (value == null) {
            throw Invalid.of(key, "missing", expected);
        }
        if (value.compareTo(min) < 0
                || value.compareTo(max) > 0
                || value.toMillis() % 1000 != 0
                || value.getNano() % 1_000_000 != 0) {
            throw Invalid.of(key, Spans.format(value), expected);
        }
    }

    private static Map<String, String> checkLabels(Map<String, String> labels) {
        if (labels == null) {
            return Map.of();
        }
        for (var e : labels.entrySet()) {
            if (!LABEL.matcher(e.getKey()).matches()) {
                throw Invalid.of("labels", e.getKey(), "label names of letters, digits and _");
            }
            if (RESERVED_LABELS.contains(e.getKey())) {
                throw Invalid.of(
                        "labels",
                        e.getKey(),
                        "a label other than alertname, service and severity, " + "which the rule sets itself");
            }
            if (e.getValue() == null) {
                throw Invalid.of("labels." + e.getKey(), "null", "a text");
            }
        }
        return Collections.unmodifiableMap(new TreeMap<>(labels)); // sorted: stable output
    }

    private static Map<String, String> withDefaults(RuleKind kind, Map<String, String> annotations) {
        var all = new LinkedHashMap<String, String>();
        all.put("summary", Template.defaultSummary(kind));
        all.put("description", Template.defaultDescription(kind));
        if (annotations != null) {
            for (var e : annotations.entrySet()) {
                if (!LABEL.matcher(e.getKey()).matches()) {
                    throw Invalid.of("annotations", e.getKey(), "annotation names of letters, digits and _");
                }
                Template.check("annotations." + e.getKey(), e.getValue());
                all.put(e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(all);
    }
}
