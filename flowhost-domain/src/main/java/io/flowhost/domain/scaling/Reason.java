package io.flowhost.domain.scaling;

import io.flowhost.domain.settings.Durations;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Builds a decision's one-line reason: what the load asked for, then the step that set the final count. */
final class Reason {

    private record Note(int value, String text) {}

    private String load;
    private int wanted;
    private final List<Note> notes = new ArrayList<>();

    static Reason stable(double average, Duration window, double target, int wanted) {
        var reason = new Reason();
        reason.load = "stable: " + oneDecimal(average) + " avg over " + Durations.format(window) + " / target "
                + number(target);
        reason.wanted = wanted;
        return reason;
    }

    static Reason panic(double average, Duration window, int ready, double target, int wanted) {
        var reason = new Reason();
        reason.load = "panic: " + oneDecimal(average) + " in flight over " + Durations.format(window) + " on " + ready
                + " ready (target " + number(target) + ")";
        reason.wanted = wanted;
        return reason;
    }

    /** Notes that a step moved the count to {@code value}, and why. */
    Reason note(int value, String text) {
        notes.add(new Note(value, text));
        return this;
    }

    /** The last instance stops: this replaces the load line, since idleness is the whole story. */
    Reason idle(Duration idle, boolean everCalled) {
        load = "idle " + Durations.elapsed(idle) + (everCalled ? " since last call" : " with no call yet");
        wanted = 0;
        notes.clear();
        return this;
    }

    /** The line, keeping only the notes of steps whose count is the one decided (a later step may have overruled). */
    String toString(int desired) {
        var kept = notes.stream()
                .filter(n -> n.value() == desired && desired != wanted)
                .map(Note::text)
                .distinct()
                .collect(Collectors.joining("; "));
        return load + " -> " + wanted + (kept.isEmpty() ? "" : " (" + kept + ")");
    }

    static String number(double value) {
        return new BigDecimal(value)
                .setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
    }

    private static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
