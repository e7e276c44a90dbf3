package io.flowhost.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** A deployment's scaling settings as flags; the server checks them (and names a bad one). */
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
            description = "Panic at this many times the target (default 2.0).")
    String panicThreshold;

    @Option(
            names = "--instance-startup-timeout",
            paramLabel = "DURATION",
            description = "How long an instance may take to be ready (default: the server's).")
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

    /** The flags given, by the server's key. */
    Map<String, String> values() {
        var out = new LinkedHashMap<String, String>();
        put(out, "min-instances", minInstances);
        put(out, "max-instances", maxInstances);
        put(out, "target-in-flight", targetInFlight);
        put(out, "max-concurrency", maxConcurrency);
        put(out, "idle-timeout", idleTimeout);
        put(out, "scale-down-delay", scaleDownDelay);
        put(out, "stable-window", stableWindow);
        put(out, "panic-window", panicWindow);
        put(out, "panic-threshold", panicThreshold);
        put(out, "startup-timeout", startupTimeout);
        put(out, "hold-timeout", holdTimeout);
        put(out, "max-held", maxHeld);
        return out;
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
