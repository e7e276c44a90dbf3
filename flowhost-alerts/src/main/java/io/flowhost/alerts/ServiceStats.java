package io.flowhost.alerts;

import java.time.Duration;

/**
 * What one service did over a window ending now: the counts cover the window, the gauges are their current values.
 *
 * @param service      the service
 * @param calls        calls answered within the window, sync and async, whatever their status
 * @param errors5xx    of those, the ones answered with a 5xx status
 * @param p99          the 99th percentile of their latency, null without calls
 * @param held         calls the gateway holds right now, waiting for an instance (a gauge)
 * @param oldestQueued age of the oldest queued async request right now, null when none is queued (a gauge)
 * @param coldStarts   cold starts within the window (instances started while calls waited for one)
 * @param crashes      instances that exited unexpectedly within the window
 */
public record ServiceStats(
        String service,
        long calls,
        long errors5xx,
        Duration p99,
        int held,
        Duration oldestQueued,
        int coldStarts,
        int crashes) {

    /** A service that did nothing. */
    public static ServiceStats idle(String service) {
        return new ServiceStats(service, 0, 0, null, 0, null, 0, 0);
    }
}
