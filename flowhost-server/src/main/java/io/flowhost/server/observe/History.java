package io.flowhost.server.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each deployment did lately, at a fixed resolution, kept in memory and bounded: the last {@link #POINTS} points
 * per deployment (calls a second, errors, p50 and p99, instances, held calls, async requests queued and running), for
 * charts; at the default resolution of 10 s, the last hour. A deployment whose newest point is older than that span is
 * forgotten. Time is passed in; one writer (the sampler), readers at any time.
 */
public final class History {

    /** How many points are kept per deployment: an hour at 10 s. */
    public static final int POINTS = 360;

    /** One interval of one deployment. */
    public record Point(
            Instant at,
            double callsPerSecond,
            double errorRate,
            Double p50Millis,
            Double p99Millis,
            int instances,
            int held,
            int queued,
            int running) {}

    private final Duration every;
    private final Map<String, ArrayDeque<Point>> points = new TreeMap<>();

    /** A history with a point every {@code every} (10 s for the dashboard's hour). */
    public History(Duration every) {
        this.every = every;
    }

    /** How far apart the points are. */
    public Duration every() {
        return every;
    }

    /** Adds a deployment's point; forgets deployments with nothing newer than the span. */
    public synchronized void add(String deployment, Point point) {
        var kept = points.computeIfAbsent(deployment, d -> new ArrayDeque<>());
        if (kept.size() == POINTS) {
            kept.removeFirst();
        }
        kept.addLast(point);
        var oldest = point.at().minus(every.multipliedBy(POINTS));
        points.values().removeIf(k -> k.peekLast().at().isBefore(oldest));
    }

    /** A deployment's points, oldest first; empty when it has none. */
    public synchronized List<Point> of(String deployment) {
        var kept = points.get(deployment);
        return kept == null ? List.of() : List.copyOf(kept);
    }

    /** The deployments with points. */
    public synchronized List<String> deployments() {
        return List.copyOf(points.keySet());
    }
}
