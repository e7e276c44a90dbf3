package io.flowhost.domain.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads and writes durations the way people type them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
public final class Durations {

    private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|us|h|m|s))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|us|h|m|s)");

    private Durations() {}

    /**
     * Parses {@code 200us}, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, sums like {@code 5m0s}, ISO-8601
     * ({@code PT30S}).
     */
    public static Duration parse(String text) {
        var s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("p")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw notADuration(text);
            }
        }
        if (!WHOLE.matcher(s).matches()) {
            throw notADuration(text);
        }
        var total = Duration.ZERO;
        var part = PART.matcher(s);
        // Past what a Duration (or a long) holds is a caller's mistake like any other, not an ArithmeticException
        // escaping to whoever asked (a 500 at the HTTP edge), nor a number silently wrapped.
        try {
            while (part.find()) {
                long n = Long.parseLong(part.group(1));
                total = total.plus(
                        switch (part.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000));
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            default -> Duration.ofHours(n);
                        });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration");
        }
        return total;
    }

    /**
     * Writes a duration so that {@link #parse} reads it back: in seconds (or milliseconds) under 5 minutes, as
     * Knative writes its windows ({@code 6s}, {@code 60s}, {@code 120s}), else in the largest whole unit ({@code 5m}).
     */
    public static String format(Duration d) {
        if (d.getNano() % 1_000_000 != 0 || d.isNegative()) {
            return d.toString(); // finer than a millisecond: ISO-8601 keeps every digit
        }
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        if (ms < 300_000 || ms % 60_000 != 0) {
            return ms / 1000 + "s";
        }
        return ms % 3_600_000 == 0 ? ms / 3_600_000 + "h" : ms / 60_000 + "m";
    }

    /** Writes an elapsed time for a person reading a reason: {@code 5m0s}, {@code 1m29.5s}, {@code 250ms}. */
    public static String elapsed(Duration d) {
        long ms = d.toMillis();
        if (ms > 0 && ms < 1000) {
            return ms + "ms";
        }
        var out = new StringBuilder();
        if (ms >= 3_600_000) {
            out.append(ms / 3_600_000).append('h');
        }
        if (ms >= 60_000) {
            out.append(ms / 60_000 % 60).append('m');
        }
        long millis = ms % 60_000;
        out.append(millis / 1000);
        if (millis % 1000 != 0) {
            out.append('.')
                    .append(String.format(Locale.ROOT, "%03d", millis % 1000).replaceAll("0+$", ""));
        }
        return out.append('s').toString();
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException(
                "'" + text + "' is not a duration (expected e.g. 500ms, 30s, 5m, 1h or PT30S)");
    }
}
