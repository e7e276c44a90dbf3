package io.flowhost.domain.deployment;

import io.flowhost.domain.settings.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long one deployment's asynchronous requests and results are kept, and its limits; validated when built, an
 * invalid value failing with the key, the value and the range, e.g. {@code max-attempts: 0 (expected: 1..100)}.
 *
 * @param resultTtl   {@code result-ttl}: a finished request (and its result) is kept this long after it finished,
 *                    then deleted; default 24h (issue #5); 1s..720h
 * @param queueTtl    {@code queue-ttl}: a request still queued this long after it was accepted expires; default 6h
 *                    (issue #5); 1s..720h
 * @param maxQueued   {@code max-queued}: requests the deployment may have queued, beyond that submissions are refused
 *                    (429); default 100000 (issue #5); 1..10000000
 * @param maxAttempts {@code max-attempts}: how many times a request is started before it fails for good (an
 *                    instance crash or a lease timeout costs one); default 3 (issue #5); 1..100
 */
public record Retention(Duration resultTtl, Duration queueTtl, int maxQueued, int maxAttempts) {

    /** Every key, in the order of the record's components. */
    public static final List<String> KEYS = List.of("result-ttl", "queue-ttl", "max-queued", "max-attempts");

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration THIRTY_DAYS = Duration.ofDays(30);

    /** Checks every value. */
    public Retention {
        checkDuration("result-ttl", resultTtl);
        checkDuration("queue-ttl", queueTtl);
        checkRange("max-queued", maxQueued, 1, 10_000_000);
        checkRange("max-attempts", maxAttempts, 1, 100);
    }

    /** The defaults: results kept 24h, queued requests expire after 6h, 100000 queued at most, 3 attempts. */
    public static Retention defaults() {
        return new Retention(Duration.ofHours(24), Duration.ofHours(6), 100_000, 3);
    }

    /** This retention with values replaced by key ({@code queue-ttl=2h}); an unknown key or a bad value throws. */
    public Retention with(Map<String, String> values) {
        for (var key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        key + ": unknown retention setting (expected one of: " + String.join(", ", KEYS) + ")");
            }
        }
        var merged = new LinkedHashMap<>(toMap());
        merged.putAll(values);
        return new Retention(
                duration(merged, "result-ttl"),
                duration(merged, "queue-ttl"),
                integer(merged, "max-queued"),
                integer(merged, "max-attempts"));
    }

    /** Every key with its value as {@link #with} reads it back, e.g. {@code result-ttl=24h}. */
    public Map<String, String> toMap() {
        var map = new LinkedHashMap<String, String>();
        map.put("result-ttl", Durations.format(resultTtl));
        map.put("queue-ttl", Durations.format(queueTtl));
        map.put("max-queued", String.valueOf(maxQueued));
        map.put("max-attempts", String.valueOf(maxAttempts));
        return Collections.unmodifiableMap(map);
    }

    private static void checkDuration(String key, Duration value) {
        var expected = Durations.format(SECOND) + ".." + Durations.format(THIRTY_DAYS);
        if (value == null) {
            throw invalid(key, "missing", expected);
        }
        if (value.compareTo(SECOND) < 0 || value.compareTo(THIRTY_DAYS) > 0) {
            throw invalid(key, Durations.format(value), expected);
        }
    }

    private static void checkRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(key, value, min + ".." + max);
        }
    }

    private static Duration duration(Map<String, String> values, String key) {
        var text = values.get(key).trim();
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(key, "'" + text + "'", "a duration such as 30s, 5m, 24h");
        }
    }

    private static int integer(Map<String, String> values, String key) {
        var text = values.get(key).trim();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw invalid(key, "'" + text + "'", "a whole number");
        }
    }

    private static IllegalArgumentException invalid(String key, Object value, String expected) {
        return new IllegalArgumentException(key + ": " + value + " (expected: " + expected + ")");
    }
}
