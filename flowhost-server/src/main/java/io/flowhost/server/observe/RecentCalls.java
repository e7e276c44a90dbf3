package io.flowhost.server.observe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The request log's last {@link #KEPT} lines, in memory, for the dashboard to filter and follow: filled by the log's
 * own writer thread, so a call pays nothing for it.
 */
public final class RecentCalls {

    /** How many lines are kept. */
    public static final int KEPT = 2_000;

    /**
     * One line with what it is filtered by.
     *
     * @param seq its place in the log since the server started, from 1: what a follower asks to see past
     */
    public record Line(long seq, Instant time, String service, int status, String json) {}

    /** What to show: null fields match everything. */
    public record Filter(String service, Integer statusClass, Instant since, long after) {

        /** Everything. */
        public static final Filter ALL = new Filter(null, null, null, 0);

        boolean matches(Line line) {
            return line.seq() > after
                    && (service == null || service.equals(line.service()))
                    && (statusClass == null || line.status() / 100 == statusClass)
                    && (since == null || !line.time().isBefore(since));
        }
    }

    private final Line[] ring = new Line[KEPT];
    private long next = 1;

    /** Keeps a line (the writer thread's). */
    synchronized void add(Instant time, String service, int status, String json) {
        ring[(int) (next % KEPT)] = new Line(next, time, service, status, json);
        next++;
    }

    /** The newest lines that match, newest first, at most {@code limit}. */
    public synchronized List<Line> find(Filter filter, int limit) {
        var found = new ArrayList<Line>(Math.min(limit, 64));
        for (long seq = next - 1; seq >= Math.max(1, next - KEPT) && found.size() < limit; seq--) {
            var line = ring[(int) (seq % KEPT)];
            if (filter.matches(line)) {
                found.add(line);
            }
        }
        return found;
    }

    /** The sequence number of the newest line, 0 when there is none. */
    public synchronized long newest() {
        return next - 1;
    }
}
