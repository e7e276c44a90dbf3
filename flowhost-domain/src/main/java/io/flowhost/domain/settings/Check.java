package io.flowhost.domain.settings;

import java.time.Duration;

/** Checks of typed settings, each failing with {@code key: value (expected: range)}. */
public final class Check {

    private Check() {}

    public static IllegalArgumentException invalid(String key, Object value, String expected) {
        return new IllegalArgumentException(key + ": " + value + " (expected: " + expected + ")");
    }

    public static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(key, value, min + ".." + max);
        }
    }

    public static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw invalid(key, value, ">= " + min);
        }
    }

    /** A number in {@code [min, max]}; NaN and infinities fail too. */
    public static void range(String key, double value, double min, double max, String expected) {
        if (!(value >= min && value <= max)) {
            throw invalid(key, value, expected);
        }
    }

    /** A duration in {@code [min, max]}, or at least {@code min} when {@code max} is null. */
    public static void range(String key, Duration value, Duration min, Duration max) {
        var expected =
                max == null ? ">= " + Durations.format(min) : Durations.format(min) + ".." + Durations.format(max);
        if (value == null) {
            throw invalid(key, "missing", expected);
        }
        if (value.compareTo(min) < 0 || (max != null && value.compareTo(max) > 0)) {
            throw invalid(key, Durations.format(value), expected);
        }
    }
}
