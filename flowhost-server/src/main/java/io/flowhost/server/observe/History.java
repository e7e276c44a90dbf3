package io.flowhost.server.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each deployment did over the last hour, at a fixed resolution, kept in memory and bounded: a point per
 * interval (calls a second, errors, p50 and p99, instances, held calls), for charts. Points older than the span
 * are dropped, and with them a deployment that has had nothing newer. Time is passed in; one writer (the sampler),
 * readers at any time.
 */
public final class History {

    /** One interval of one deployment. */
    public record Point(
            Instant at,
            double callsPerSecond,
            double errorRate,
            Double p50Millis,
            Double p99Millis,
            int instances,
            int held) {}

    private final Duration span;
    private final Map<String, ArrayDeque<Point>> points = new TreeMap<>();

    /** A history keeping {@code span} (an hour, for the dashboard). */
    public History(Duration span) {
        this.span = span;
    }

    /** Adds a deployment's point; drops what is older than the span, for every deployment. */
    public synchronized void add(String deployment, Point point) {
        points.computeIfAbsent(deployment, d -> new ArrayDeque<>()).addLast(point);
        var oldest = point.at().minus(span);
        points.values().removeIf(kept -> {
            while (!kept.isEmpty() && kept.peekFirst().at().isBefore(oldest)) {
                kept.removeFirst();
            }
            return kept.isEmpty();
        });
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
