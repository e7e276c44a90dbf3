package io.flowhost.alerts;

import io.flowhost.domain.settings.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * What a rule watches: each kind reads one value out of a service's {@link ServiceStats} and fires when it is above the
 * rule's threshold. Values and thresholds are in the kind's unit: a ratio, seconds, or a count.
 */
public enum RuleKind {

    /** 5xx calls / all calls over the window; no calls, no value. */
    ERROR_RATIO("error-ratio", Unit.RATIO, true),
    /** The 99th percentile of call latency over the window, in seconds; no calls, no value. */
    P99_LATENCY("p99-latency", Unit.SECONDS, true),
    /** Calls the gateway holds right now, waiting for an instance. */
    HELD_CALLS("held-calls", Unit.COUNT, false),
    /** Age of the oldest queued async request right now, in seconds; an empty queue has no value. */
    OLDEST_QUEUED("oldest-queued", Unit.SECONDS, false),
    /** Cold starts within the window. */
    COLD_STARTS("cold-starts", Unit.COUNT, true),
    /** Instances that exited unexpectedly within the window. */
    CRASH_LOOP("crash-loop", Unit.COUNT, true);

    /** How a kind's values and thresholds are written. */
    enum Unit {
        RATIO,
        SECONDS,
        COUNT
    }

    private final String key;
    private final Unit unit;
    private final boolean windowed;

    RuleKind(String key, Unit unit, boolean windowed) {
        this.key = key;
        this.unit = unit;
        this.windowed = windowed;
    }

    /** The kind as written in a settings file, e.g. {@code error-ratio}. */
    public String key() {
        return key;
    }

    /**
     * Whether the kind counts events over a window (error ratio, p99, cold starts, crashes); the others compare the
     * current value of a gauge, and a rule of theirs has no window.
     */
    public boolean windowed() {
        return windowed;
    }

    /** Whether values and thresholds of this kind are durations (held as seconds). */
    public boolean isDuration() {
        return unit == Unit.SECONDS;
    }

    Unit unit() {
        return unit;
    }

    /** The kind written as {@code key}, or IllegalArgumentException listing the kinds there are. */
    public static RuleKind of(String key) {
        for (var kind : values()) {
            if (kind.key.equals(key)) {
                return kind;
            }
        }
        throw Invalid.of("kind", key, "one of: " + keys());
    }

    /** Every kind's key, comma-separated, for messages. */
    public static String keys() {
        return Arrays.stream(values()).map(RuleKind::key).collect(Collectors.joining(", "));
    }

    /** The value this kind watches in one service's stats, empty when there is nothing to judge (no calls). */
    public OptionalDouble observe(ServiceStats stats) {
        return switch (this) {
            case ERROR_RATIO ->
                stats.calls() == 0
                        ? OptionalDouble.empty()
                        : OptionalDouble.of((double) stats.errors5xx() / stats.calls());
            case P99_LATENCY -> seconds(stats.p99());
            case HELD_CALLS -> OptionalDouble.of(stats.held());
            case OLDEST_QUEUED -> seconds(stats.oldestQueued());
            case COLD_STARTS -> OptionalDouble.of(stats.coldStarts());
            case CRASH_LOOP -> OptionalDouble.of(stats.crashes());
        };
    }

    /** A value observed, as a person reads it: {@code 12.5%}, {@code 1m29.5s}, {@code 820ms}, {@code 3}. */
    public String format(double value) {
        return switch (unit) {
            case RATIO -> String.format(Locale.ROOT, "%.4g", value * 100).replaceAll("\\.?0+$", "") + "%";
            case SECONDS ->
                value > 0 && value < 0.001
                        ? Math.round(value * 1e6) + "µs"
                        : Durations.elapsed(Duration.ofNanos(Math.round(value * 1e9)));
            case COUNT -> value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
        };
    }

    /** A threshold as a person reads it, durations in whole units as typed: {@code 5%}, {@code 5m}, {@code 3}. */
    public String formatThreshold(double threshold) {
        return unit == Unit.SECONDS ? Spans.format(Duration.ofMillis(Math.round(threshold * 1000))) : format(threshold);
    }

    private static OptionalDouble seconds(Duration d) {
        return d == null ? OptionalDouble.empty() : OptionalDouble.of(d.toNanos() / 1e9);
    }
}
