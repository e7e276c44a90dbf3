package io.flowhost.domain.access;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A quota as a token bucket: so many calls per second on average, and at most {@code burst} at once after a quiet
 * spell.
 *
 * @param perSecond calls per second refilled, > 0
 * @param burst the bucket's size, >= 1: how many calls may come at once
 */
public record Rate(double perSecond, int burst) {

    private static final Pattern TEXT =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*/\\s*(s|sec|second|m|min|minute|h|hour)");

    public Rate {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate: " + perSecond + " per second (expected: more than 0)");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst: " + burst + " (expected: at least 1 call)");
        }
    }

    /**
     * A rate as a person writes it ({@code 100/s}, {@code 600/min}, {@code 1000/h}), with the burst given, or when
     * {@code burst} is null one second's worth (at least 1).
     */
    public static Rate parse(String text, Integer burst) {
        var m = TEXT.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "rate: '" + text + "' (expected: calls per unit of time, such as 100/s, 600/min or 1000/h)");
        }
        double count = Double.parseDouble(m.group(1));
        double perSecond = switch (m.group(2).charAt(0)) {
            case 'm' -> count / 60;
            case 'h' -> count / 3600;
            default -> count;
        };
        return new Rate(perSecond, burst != null ? burst : (int) Math.max(1, Math.ceil(perSecond)));
    }

    /** A burst as a person writes it: a whole number of calls. */
    public static int burst(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("burst: '" + text + "' (expected: a whole number of calls, at least 1)");
        }
    }

    /** How long an empty bucket takes to fill, in whole seconds (at least 1): the window a quota is counted over. */
    public long windowSeconds() {
        return Math.max(1, (long) Math.ceil(burst / perSecond));
    }

    /** As {@link #parse} reads it, with the burst: {@code 100/s burst 200}. */
    @Override
    public String toString() {
        return perUnit() + " burst " + burst;
    }

    /** The rate alone, in the unit that makes it a whole number where one does: {@code 100/s}, {@code 6/min}. */
    public String perUnit() {
        if (perSecond == Math.rint(perSecond)) {
            return (long) perSecond + "/s";
        }
        double perMinute = perSecond * 60;
        if (Math.abs(perMinute - Math.rint(perMinute)) < 1e-9) {
            return Math.round(perMinute) + "/min";
        }
        double perHour = perSecond * 3600;
        if (Math.abs(perHour - Math.rint(perHour)) < 1e-6) {
            return Math.round(perHour) + "/h";
        }
        return perSecond + "/s";
    }
}
