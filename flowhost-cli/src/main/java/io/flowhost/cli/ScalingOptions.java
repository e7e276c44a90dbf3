package io.flowhost.cli;

import io.flowhost.domain.scaling.ScalingSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The scaling flags, the same for {@code deploy} and {@code serve} (the deployment's own), {@code server} (the
 * defaults of every deployment) and {@code simulate} (the deployment simulated). Each is a key of
 * {@link ScalingSettings}; its check names a bad one.
 */
final class ScalingOptions {

    @Option(
            names = "--min-instances",
            paramLabel = "N",
            description = "Instances kept running when idle (default 0: scale to zero).")
    String minInstances;

    @Option(names = "--max-instances", paramLabel = "N", description = "Most instances (default 4).")
    String maxInstances;

    @Option(
            names = "--target-in-flight",
            paramLabel = "N",
            description = "Calls per instance the autoscaler steers to (default 4).")
    String targetInFlight;

    @Option(
            names = "--max-concurrency",
            paramLabel = "N",
            description = "Calls one instance takes at once; more wait in the gateway (default 16).")
    String maxConcurrency;

    @Option(
            names = "--idle-timeout",
            paramLabel = "DURATION",
            description = "No call for this long and the last instance stops (default 5m).")
    String idleTimeout;

    @Option(
            names = "--scale-down-delay",
            paramLabel = "DURATION",
            description = "Scale down only to the most wanted within this long (default 30s).")
    String scaleDownDelay;

    @Option(
            names = "--stable-window",
            paramLabel = "DURATION",
            description = "Demand is averaged over this long (default 60s).")
    String stableWindow;

    @Option(
            names = "--panic-window",
            paramLabel = "DURATION",
            description = "The short window that catches bursts (default 6s).")
    String panicWindow;

    @Option(
            names = "--panic-threshold",
            paramLabel = "X",
            description = "Panic at this many times the target per ready instance (default 2.0).")
    String panicThreshold;

    @Option(
            names = "--startup-timeout",
            paramLabel = "DURATION",
            description = "How long an instance may take to be ready (default 120s).")
    String startupTimeout;

    @Option(
            names = "--hold-timeout",
            paramLabel = "DURATION",
            description = "How long a call may wait for an instance with room before a 503 (default 120s).")
    String holdTimeout;

    @Option(
            names = "--max-held",
            paramLabel = "N",
            description = "Calls held while no instance has room; more get 503 (default 1000).")
    String maxHeld;

    /** The flags given, by the settings' key. */
    Map<String, String> values() {
        var out = new LinkedHashMap<String, String>();
        put(out, "min-instances", minInstances);
        put(out, "max-instances", maxInstances);
        put(out, "target-in-flight", targetInFlight);
        put(out, "max-concurrency", maxConcurrency);
        put(out, "stable-window", stableWindow);
        put(out, "panic-window", panicWindow);
        put(out, "panic-threshold", panicThreshold);
        put(out, "scale-down-delay", scaleDownDelay);
        put(out, "idle-timeout", idleTimeout);
        put(out, "startup-timeout", startupTimeout);
        put(out, "hold-timeout", holdTimeout);
        put(out, "max-held", maxHeld);
        return out;
    }

    /** The defaults with the flags given, checked; a bad value stops the command with its key, value and range. */
    ScalingSettings settings() {
        try {
            return ScalingSettings.defaults().with(values());
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid setting: " + e.getMessage(), 2);
        }
    }

    /** Puts a flag's value under its key when the flag was given; the resource flags use it too. */
    static void put(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
