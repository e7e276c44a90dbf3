package io.flowhost.domain.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the autoscaler remembers between decisions (immutable): pass each decision's {@link Decision#next()} to the
 * next one.
 *
 * @param since when the autoscaler first decided for this deployment; instances that never saw a call stay up for
 *              the idle timeout counted from here (so a fresh deployment is not stopped at once); null before that
 * @param panic the panic in progress, or null when calm
 * @param peaks the highest load-based desired counts of the last scale-down-delay, oldest (and highest) first
 */
public record ScaleState(Instant since, Panic panic, List<Peak> peaks) {

    /**
     * A panic in progress.
     *
     * @param started      when the panic condition first held
     * @param lastOver     the last decision at which it held; panic ends a whole stable window after this
     * @param highestDesired the most instances wanted during this panic, which is never given up while it lasts
     */
    public record Panic(Instant started, Instant lastOver, int highestDesired) {}

    /** A desired count recorded at an instant, for the scale-down delay. */
    public record Peak(Instant at, int desired) {}

    /** Copies the peaks so the state stays immutable. */
    public ScaleState {
        peaks = List.copyOf(peaks);
    }

    /** The memory of an autoscaler that has not decided yet. */
    public static ScaleState initial() {
        return new ScaleState(null, null, List.of());
    }

    /** Whether a panic is in progress. */
    public boolean panicking() {
        return panic != null;
    }

    /**
     * The peaks with {@code desired} recorded at {@code now}, keeping only (now - delay, now]. They are kept as a
     * falling staircase: a new value removes every older one it equals or beats, because those can never be the
     * highest again; so at most one entry per distinct count remains and the first is the maximum.
     */
    static List<Peak> record(List<Peak> peaks, int desired, Instant now, Duration delay) {
        var kept = new ArrayList<Peak>(peaks.size() + 1);
        var cutoff = now.minus(delay);
        for (var peak : peaks) {
            if (peak.at().isAfter(cutoff) && peak.desired() > desired) {
                kept.add(peak);
            }
        }
        kept.add(new Peak(now, desired));
        return kept;
    }
}
