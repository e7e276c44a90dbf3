package io.flowhost.domain.scaling;

import io.flowhost.domain.settings.Check;
import io.flowhost.domain.settings.Durations;
import io.flowhost.domain.settings.SettingReader;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Scaling settings of one deployment, validated when built: an invalid value fails at once naming the key, the
 * value and the allowed range, e.g. {@code idle-timeout: 0s (expected: >= 1s)}. Keys are kebab-case.
 *
 * @param minInstances   {@code min-instances}, default 0 (scale to zero when idle, issue #4); 0..max-instances
 * @param maxInstances   {@code max-instances}, default 4 (a few instances on one small machine); 1..1000
 * @param targetInFlight {@code target-in-flight}: calls each instance should be busy with on average, the value the
 *                       autoscaler steers to; default 4 (ours: a JVM instance serves a few calls at once well; Ray
 *                       Serve's {@code target_ongoing_requests} is 2, Knative's concurrency target 100);
 *                       0.1..max-concurrency
 * @param maxConcurrency {@code max-concurrency}: hard limit of calls one instance runs at once, calls beyond wait in
 *                       the gateway (Knative's {@code containerConcurrency}, Ray's {@code max_ongoing_requests});
 *                       default 16 (4x the target, room for a burst); 1..10000
 * @param stableWindow   {@code stable-window}: demand is averaged over this long for ordinary decisions; default 60s
 *                       (Knative KPA's {@code stable-window}); 1s..1h
 * @param panicWindow    {@code panic-window}: the short window that catches a sudden burst; default 6s (Knative's
 *                       {@code panic-window-percentage} 10% of 60s); 1s..stable-window
 * @param panicThreshold {@code panic-threshold}: panic when panic-window demand reaches this many times the target of
 *                       the ready instances; default 2.0 (Knative's {@code panic-threshold-percentage} 200%);
 *                       1.1..10.0 (Knative's 110%..1000%)
 * @param scaleDownDelay {@code scale-down-delay}: scale down only to the highest count wanted within this long, so a
 *                       dip keeps its instances; default 30s (Knative's {@code scale-down-delay}, default 0s there,
 *                       Ray's {@code downscale_delay_s} 600s); 0s..1h
 * @param idleTimeout    {@code idle-timeout}: the last instance stops only after no call for this long; default 5m
 *                       (issue #4); >= 1s. Scale to zero also waits for the stable window to empty.
 * @param startupTimeout {@code startup-timeout}: how long an instance may take to become ready before its start is
 *                       given up; default 120s (as the server's {@code --startup-timeout}); 1s..1h
 * @param holdTimeout    {@code hold-timeout}: a call held longer than this, waiting for an instance with room, fails
 *                       with 503 and Retry-After; default 120s (a caller's own timeout is rarely longer; Knative's
 *                       activator waits as long as the revision's progress deadline); 1s..1h. Apart from
 *                       startup-timeout so that callers can be told early while a large model still loads.
 * @param maxHeld        {@code max-held}: calls the gateway holds for this deployment, beyond that 503 with
 *                       Retry-After; default 1000 (issue #4); 1..1000000
 */
public record ScalingSettings(
        int minInstances,
        int maxInstances,
        double targetInFlight,
        int maxConcurrency,
        Duration stableWindow,
        Duration panicWindow,
        double panicThreshold,
        Duration scaleDownDelay,
        Duration idleTimeout,
        Duration startupTimeout,
        Duration holdTimeout,
        int maxHeld) {

    /** Every key, in the order of the record's components. */
    public static final List<String> KEYS = List.of(
            "min-instances",
            "max-instances",
            "target-in-flight",
            "max-concurrency",
            "stable-window",
            "panic-window",
            "panic-threshold",
            "scale-down-delay",
            "idle-timeout",
            "startup-timeout",
            "hold-timeout",
            "max-held");

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration HOUR = Duration.ofHours(1);

    /** Checks every value, each key on its own first, then the ones that depend on another key. */
    public ScalingSettings {
        Check.range("max-instances", maxInstances, 1, 1000);
        Check.atLeast("min-instances", minInstances, 0);
        Check.range("max-concurrency", maxConcurrency, 1, 10_000);
        Check.range("target-in-flight", targetInFlight, 0.1, Double.MAX_VALUE, ">= 0.1");
        Check.range("stable-window", stableWindow, SECOND, HOUR);
        Check.range("panic-window", panicWindow, SECOND, null); // at most stable-window, checked below
        Check.range("panic-threshold", panicThreshold, 1.1, 10.0, "1.1..10.0");
        Check.range("scale-down-delay", scaleDownDelay, Duration.ZERO, HOUR);
        Check.range("idle-timeout", idleTimeout, SECOND, null);
        Check.range("startup-timeout", startupTimeout, SECOND, HOUR);
        Check.range("hold-timeout", holdTimeout, SECOND, HOUR);
        Check.range("max-held", maxHeld, 1, 1_000_000);
        if (minInstances > maxInstances) {
            throw Check.invalid("min-instances", minInstances, "<= max-instances (" + maxInstances + ")");
        }
        if (targetInFlight > maxConcurrency) {
            throw Check.invalid("target-in-flight", targetInFlight, "<= max-concurrency (" + maxConcurrency + ")");
        }
        if (panicWindow.compareTo(stableWindow) > 0) {
            throw Check.invalid(
                    "panic-window",
                    Durations.format(panicWindow),
                    "<= stable-window (" + Durations.format(stableWindow) + ")");
        }
    }

    /** The defaults: 0..4 instances, 4 calls each (16 at most), 60s/6s windows, panic at 2x, 30s, 5m, 120s, 120s, 1000. */
    public static ScalingSettings defaults() {
        return new ScalingSettings(
                0,
                4,
                4.0,
                16,
                Duration.ofSeconds(60),
                Duration.ofSeconds(6),
                2.0,
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                Duration.ofSeconds(120),
                Duration.ofSeconds(120),
                1000);
    }

    /** These settings with values replaced by key; an unknown key or a bad value throws IllegalArgumentException. */
    public ScalingSettings with(Map<String, String> values) {
        var unknown = values.keySet().stream()
                .filter(key -> !KEYS.contains(key))
                .sorted()
                .toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(unknown.getFirst() + ": unknown scaling setting (expected one of: "
                    + String.join(", ", KEYS) + ")");
        }
        var merged = new LinkedHashMap<>(toMap());
        merged.putAll(values);
        var read = new SettingReader(merged);
        return new ScalingSettings(
                read.integer("min-instances"),
                read.integer("max-instances"),
                read.decimal("target-in-flight"),
                read.integer("max-concurrency"),
                read.duration("stable-window"),
                read.duration("panic-window"),
                read.decimal("panic-threshold"),
                read.duration("scale-down-delay"),
                read.duration("idle-timeout"),
                read.duration("startup-timeout"),
                read.duration("hold-timeout"),
                read.integer("max-held"));
    }

    /** Every key, in {@link #KEYS} order, with its value as {@link #with} reads it: durations like 60s, 5m, 500ms. */
    public Map<String, String> toMap() {
        var values = List.of(
                String.valueOf(minInstances),
                String.valueOf(maxInstances),
                String.valueOf(targetInFlight),
                String.valueOf(maxConcurrency),
                Durations.format(stableWindow),
                Durations.format(panicWindow),
                String.valueOf(panicThreshold),
                Durations.format(scaleDownDelay),
                Durations.format(idleTimeout),
                Durations.format(startupTimeout),
                Durations.format(holdTimeout),
                String.valueOf(maxHeld));
        var map = new LinkedHashMap<String, String>();
        for (int i = 0; i < KEYS.size(); i++) {
            map.put(KEYS.get(i), values.get(i));
        }
        return Collections.unmodifiableMap(map);
    }

    /** The settings as {@code key=value} pairs, as a person would type them. */
    @Override
    public String toString() {
        return toMap().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
