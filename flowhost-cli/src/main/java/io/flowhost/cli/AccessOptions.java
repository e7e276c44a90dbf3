package io.flowhost.cli;

import static io.flowhost.cli.ScalingOptions.put;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Who may call a deployment and how often; the server checks each value. */
final class AccessOptions {

    @Option(
            names = "--require-token",
            description = "Calls need a token with scope invoke:SERVICE (or admin), sent as 'Authorization: Bearer"
                    + " <token>'; make one with 'flowhost tokens create --scope invoke:SERVICE' (default: anyone who"
                    + " reaches the server may call).")
    boolean requireToken;

    @Option(
            names = "--rate",
            paramLabel = "RATE",
            description = "The service's quota over all its callers, per gateway: 100/s, 600/min, 1000/h; past it"
                    + " calls get 429 with Retry-After (default: none).")
    String rate;

    @Option(
            names = "--burst",
            paramLabel = "N",
            description = "How many calls may come at once within --rate (default: one second's worth).")
    String burst;

    /** The flags given, by the deploy parameter's key. */
    Map<String, String> values() {
        var out = new LinkedHashMap<String, String>();
        if (requireToken) {
            out.put("require-token", "true");
        }
        put(out, "rate", rate);
        put(out, "burst", burst);
        return out;
    }
}
