package io.flowhost.cli;

import static io.flowhost.cli.ScalingOptions.put;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** What each instance of a deployment needs of a node when instances are pods; the server checks each value. */
final class ResourceOptions {

    @Option(
            names = "--cpu",
            paramLabel = "CPU",
            description = "CPU each pod asks for: cores (2, 0.5) or millicores (500m) (--driver kubernetes only).")
    String cpu;

    @Option(
            names = "--memory",
            paramLabel = "SIZE",
            description = "Memory each pod asks for and may use, e.g. 4Gi (--driver kubernetes only).")
    String memory;

    @Option(
            names = "--gpu",
            paramLabel = "N",
            description = "nvidia.com/gpu devices each pod gets, 0..16 (--driver kubernetes only).")
    String gpu;

    @Option(
            names = "--node-selector",
            paramLabel = "LABELS",
            description =
                    "Node labels each pod must land on, e.g. pool=gpu,zone=eu-west-1a (--driver kubernetes only).")
    String nodeSelector;

    @Option(
            names = "--tolerations",
            paramLabel = "TAINTS",
            description = "Taints each pod tolerates, key[=value]:Effect, comma-separated, e.g."
                    + " nvidia.com/gpu=present:NoSchedule (--driver kubernetes only).")
    String tolerations;

    /** The flags given, by the deploy parameter's key. */
    Map<String, String> values() {
        var out = new LinkedHashMap<String, String>();
        put(out, "cpu", cpu);
        put(out, "memory", memory);
        put(out, "gpu", gpu);
        put(out, "node-selector", nodeSelector);
        put(out, "tolerations", tolerations);
        return out;
    }
}
