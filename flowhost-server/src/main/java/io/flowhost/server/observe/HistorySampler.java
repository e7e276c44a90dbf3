package io.flowhost.server.observe;

import io.flowhost.alerts.RecordingStats;
import io.flowhost.gateway.RouteTable;
import java.time.InstantSource;
import java.util.function.ToIntFunction;

/**
 * Adds a point to the {@link History} for each deployment the gateway routes to, every {@link History#every()}: its
 * calls a second, error rate and latency quantiles over the interval (from the per-deployment call statistics the
 * gateway keeps anyway), and its instances, held calls and async requests queued and running now. Nothing on a
 * call's path: it reads what is kept.
 */
public final class HistorySampler implements Runnable {

    private final History history;
    private final RecordingStats calls;
    private final RouteTable routes;
    private final ToIntFunction<String> queued;
    private final ToIntFunction<String> running;
    private final InstantSource clock;

    /**
     * @param calls statistics of calls by deployment id, keeping at least the history's interval
     * @param queued a deployment's async requests queued (a cheap count)
     * @param running a deployment's async requests this server runs now
     */
    public HistorySampler(
            History history,
            RecordingStats calls,
            RouteTable routes,
            ToIntFunction<String> queued,
            ToIntFunction<String> running,
            InstantSource clock) {
        this.history = history;
        this.calls = calls;
        this.routes = routes;
        this.queued = queued;
        this.running = running;
        this.clock = clock;
    }

    @Override
    public void run() {
        var now = clock.instant();
        var every = history.every();
        for (var traffic : routes.traffics()) {
            var id = traffic.deploymentId();
            var stats = calls.stats(id, every, now);
            var p50 = calls.quantile(id, every, now, 0.5);
            var p99 = calls.quantile(id, every, now, 0.99);
            history.add(
                    id,
                    new History.Point(
                            now,
                            stats.calls() / (every.toMillis() / 1000.0),
                            stats.calls() == 0 ? 0 : stats.errors5xx() / (double) stats.calls(),
                            p50 == null ? null : p50.toNanos() / 1e6,
                            p99 == null ? null : p99.toNanos() / 1e6,
                            traffic.backends().size(),
                            traffic.held(),
                            queued.applyAsInt(id),
                            running.applyAsInt(id)));
        }
    }
}
