package io.flowhost.alerts;

/** The one shape of a settings error: {@code key: value (expected: what is allowed)}. */
final class Invalid {

    private Invalid() {}

    static IllegalArgumentException of(String key, Object value, String expected) {
        return new IllegalArgumentException(key + ": " + value + " (expected: " + expected + ")");
    }

    /** The same error with where it happened in front, e.g. {@code rule FlowhostErrorRatioHigh: }. */
    static IllegalArgumentException in(String where, IllegalArgumentException e) {
        return new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
}
