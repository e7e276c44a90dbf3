package io.flowhost.alerts;

import java.time.Duration;

/** The range of a threshold per kind of rule. */
final class Thresholds {

    private Thresholds() {}

    static void check(RuleKind kind, double threshold) {
        switch (kind) {
            // A ratio of 1 could never be exceeded: the rule would never fire.
            case ERROR_RATIO -> decimal(threshold, 0, 0.999_999, "a ratio >= 0 and < 1, e.g. 0.05 for 5%");
            case P99_LATENCY -> duration(threshold, Duration.ofMillis(1), Duration.ofHours(1));
            case OLDEST_QUEUED -> duration(threshold, Duration.ofMillis(1), Duration.ofDays(7));
            case HELD_CALLS, COLD_STARTS -> whole(threshold, 1_000_000);
            case CRASH_LOOP -> whole(threshold, 1_000);
        }
    }

    private static void decimal(double value, double min, double max, String expected) {
        if (!(value >= min && value <= max)) {
            throw Invalid.of("threshold", value, expected);
        }
    }

    private static void duration(double seconds, Duration min, Duration max) {
        var expected = Spans.format(min) + ".." + Spans.format(max) + ", a duration such as 500ms";
        if (!(seconds >= min.toNanos() / 1e9 && seconds <= max.toNanos() / 1e9)) {
            throw Invalid.of(
                    "threshold",
                    Double.isFinite(seconds) && seconds >= 0
                            ? Spans.format(Duration.ofNanos(Math.round(seconds * 1e9)))
                            : String.valueOf(seconds),
                    expected);
        }
    }

    private static void whole(double value, int max) {
        if (!(value >= 0 && value <= max && value == Math.rint(value))) {
            throw Invalid.of(
                    "threshold",
                    value == Math.rint(value) ? String.valueOf((long) value) : value,
                    "a whole number 0.." + max);
        }
    }
}
