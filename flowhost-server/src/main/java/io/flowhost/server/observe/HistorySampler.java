package io.flowhost.server.observe;

import io.flowhost.alerts.RecordingStats;
import io.flowhost.gateway.RouteTable;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Adds a point to the {@link History} for each deployment that had calls or has instances, every {@link #EVERY}: its
 * calls a second, error rate and latency quantiles over the interval (from the per-deployment call statistics the
 * gateway keeps anyway), and its instances and held calls now.
 */
public final class HistorySampler implements Runnable {

    /** The resolution of the history. */
    public static final Duration EVERY = Duration.ofSeconds(10);

    private final History history;
    private final RecordingStats calls;
    private final RouteTable routes;
    private final InstantSource clock;

    /** @param calls statistics of calls by deployment id, keeping at least {@link #EVERY} */
    public HistorySampler(History history, RecordingStats calls, RouteTable routes, InstantSource clock) {
        this.history = history;
        this.calls = calls;
        this.routes = routes;
        this.clock = clock;
    }

    @Override
    public void run() {
        var now = clock.instant();
        for (var traffic : routes.traffics()) {
            var id = traffic.deploymentId();
            var stats = calls.stats(id, EVERY, now);
            var p50 = calls.quantile(id, EVERY, now, 0.5);
            var p99 = calls.quantile(id, EVERY, now, 0.99);
            history.add(
                    id,
                    new History.Point(
                            now,
                            stats.calls() / (double) EVERY.toSeconds(),
                            stats.calls() == 0 ? 0 : stats.errors5xx() / (double) stats.calls(),
                            p50 == null ? null : p50.toNanos() / 1e6,
                            p99 == null ? null : p99.toNanos() / 1e6,
                            traffic.backends().size(),
                            traffic.held()));
        }
    }
}
