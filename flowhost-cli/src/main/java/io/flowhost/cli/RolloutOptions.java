package io.flowhost.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** How a deploy rolls the new version out beside the one serving now, as deploy parameters. */
final class RolloutOptions {

    @Option(
            names = {"--canary", "--weight"},
            paramLabel = "PERCENT",
            description = "Start the new version beside the current one and send it this share of calls (1-100);"
                    + " the rest stay on the current version until 'flowhost rollout promote'. A canary that errs or"
                    + " slows past its guardrails is rolled back by itself.")
    String canary;

    @Option(
            names = "--shadow",
            paramLabel = "PERCENT",
            description = "Start the new version beside the current one and send it a copy of this share of calls:"
                    + " callers get the current version's answers only; 'flowhost rollout status' shows how often the"
                    + " two agree.")
    String shadow;

    @Option(
            names = "--steps",
            paramLabel = "LIST",
            description = "Step the canary through these shares by itself, e.g. 10,50,100: each step bakes for --bake"
                    + " with the canary healthy, then the next; at 100 it becomes the primary.")
    String steps;

    @Option(
            names = "--bake",
            paramLabel = "DURATION",
            description = "How long each step runs healthy before the next (default: 5m).")
    String bake;

    @Option(
            names = "--route-key-header",
            paramLabel = "HEADER",
            description = "The header whose value keeps a caller on one version, e.g. X-User-Id (default:"
                    + " X-Flowhost-Route-Key); calls without it are split by chance.")
    String routeKeyHeader;

    @Option(
            names = "--tolerance",
            paramLabel = "DELTA",
            description = "A shadow's JSON answer agrees with the primary's when every number is within this of the"
                    + " primary's and everything else is equal (default: 0, exactly equal).")
    String tolerance;

    @Option(
            names = "--max-error-rate-increase",
            paramLabel = "SHARE",
            description = "Roll back when the canary's error rate is this much above the primary's (default: 0.01).")
    String maxErrorRateIncrease;

    @Option(
            names = "--max-p99-ratio",
            paramLabel = "RATIO",
            description = "Roll back when the canary's p99 latency is this many times the primary's (default: 1.5).")
    String maxP99Ratio;

    @Option(
            names = "--min-calls",
            paramLabel = "N",
            description = "Judge the canary only once it answered this many calls in the last 20 s (default: 50).")
    String minCalls;

    /** The flags given, by the deploy parameter's key. */
    Map<String, String> values() {
        var out = new LinkedHashMap<String, String>();
        ScalingOptions.put(out, "canary", canary);
        ScalingOptions.put(out, "shadow", shadow);
        ScalingOptions.put(out, "steps", steps);
        ScalingOptions.put(out, "bake", bake);
        ScalingOptions.put(out, "route-key-header", routeKeyHeader);
        ScalingOptions.put(out, "tolerance", tolerance);
        ScalingOptions.put(out, "max-error-rate-increase", maxErrorRateIncrease);
        ScalingOptions.put(out, "max-p99-ratio", maxP99Ratio);
        ScalingOptions.put(out, "min-calls", minCalls);
        return out;
    }
}
