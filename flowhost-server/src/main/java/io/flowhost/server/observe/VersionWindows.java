package io.flowhost.server.observe;

import io.flowhost.alerts.AlertEngine;
import io.flowhost.alerts.RecordingStats;
import io.flowhost.alerts.ServiceStats;
import io.flowhost.alerts.State;
import io.flowhost.alerts.StatsSource;
import io.flowhost.control.rollout.Rollouts;
import io.flowhost.domain.rollout.VersionStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Each version's recent calls, counted by deployment id as the gateway answered them: what a rollout judges its
 * canary by, what {@code rollout status} shows, and what an alert rule scoped to a deployment ({@code service:
 * iris-v2}) watches.
 */
public final class VersionWindows implements Rollouts.Windows {

    /** The window {@code rollout status} shows. */
    static final Duration SHOWN = Duration.ofMinutes(5);

    private final RecordingStats versions;
    private final Supplier<AlertEngine> alerts;

    public VersionWindows(RecordingStats versions, Supplier<AlertEngine> alerts) {
        this.versions = versions;
        this.alerts = alerts;
    }

    @Override
    public VersionStats stats(String deploymentId, Duration window, Instant now) {
        var s = versions.stats(deploymentId, window, now);
        return new VersionStats(s.calls(), s.errors5xx(), s.p99() == null ? 0 : millis(s.p99()));
    }

    @Override
    public List<String> firing(String deploymentId) {
        var engine = alerts.get();
        if (engine == null) {
            return List.of();
        }
        return engine.alerts().stream()
                .filter(a -> a.state() == State.FIRING && deploymentId.equals(a.service()))
                .map(a -> a.rule())
                .toList();
    }

    /** What a version did over the last 5 minutes, and for a shadow how its copies compared (since this start). */
    public static VersionNumbers numbers(
            RecordingStats versions, ShadowLog.Counts shadow, String deploymentId, Instant now) {
        var s = versions.stats(deploymentId, SHOWN, now);
        var p50 = versions.quantile(deploymentId, SHOWN, now, 0.5);
        return new VersionNumbers(
                s.calls(),
                s.errors5xx(),
                p50 == null ? null : millis(p50),
                s.p99() == null ? null : millis(s.p99()),
                shadow.compared() + shadow.dropped() == 0 ? null : shadow.compared(),
                shadow.compared() + shadow.dropped() == 0 ? null : shadow.agreed(),
                shadow.compared() + shadow.dropped() == 0 ? null : shadow.dropped());
    }

    /**
     * The stats alert rules read: each service's, and for a rule scoped to a deployment by its id, that deployment's
     * (rules about every service still watch services only).
     */
    public static StatsSource alertStats(RecordingStats services, RecordingStats versions) {
        return new StatsSource() {
            @Override
            public List<String> services() {
                return services.services();
            }

            @Override
            public ServiceStats stats(String service, Duration window, Instant now) {
                return versions.services().contains(service)
                                && !services.services().contains(service)
                        ? versions.stats(service, window, now)
                        : services.stats(service, window, now);
            }
        };
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1_000_000.0;
    }
}
