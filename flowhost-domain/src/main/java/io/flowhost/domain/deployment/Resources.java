package io.flowhost.domain.deployment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What each instance of a deployment needs of a node, for instances run as pods: checked when built, an invalid
 * value failing with the key, the value and what is expected. Ignored by child processes, which share this machine.
 *
 * @param cpu          {@code cpu}: CPU requested, a Kubernetes quantity ({@code 500m}, {@code 2}); null for none
 * @param memory       {@code memory}: memory requested and its limit ({@code 512Mi}, {@code 4Gi}); null for none
 * @param gpus         {@code gpu}: {@code nvidia.com/gpu} devices, 0..16 (default 0)
 * @param nodeSelector {@code node-selector}: node labels a pod must land on ({@code pool=gpu,zone=a})
 * @param tolerations  {@code tolerations}: taints a pod tolerates, {@code key[=value]:Effect}, comma-separated
 */
public record Resources(
        String cpu, String memory, int gpus, Map<String, String> nodeSelector, List<String> tolerations) {

    /** Every key, in the order of the record's components. */
    public static final List<String> KEYS = List.of("cpu", "memory", "gpu", "node-selector", "tolerations");

    private static final Pattern CPU = Pattern.compile("\\d+(\\.\\d{1,3})?|\\d+m");
    private static final Pattern MEMORY = Pattern.compile("\\d+(Ki|Mi|Gi|Ti|k|M|G|T)?");
    private static final Pattern LABEL_KEY =
            Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    private static final Pattern TOLERATION =
            Pattern.compile("([^=:,]+)(=([^=:,]*))?:(NoSchedule|PreferNoSchedule|NoExecute)");

    /** Checks every value. */
    public Resources {
        if (cpu != null && !CPU.matcher(cpu).matches()) {
            throw new IllegalArgumentException(
                    "cpu: '" + cpu + "' (expected: cores such as 2 or 0.5, or millicores" + " such as 500m)");
        }
        if (memory != null && !MEMORY.matcher(memory).matches()) {
            throw new IllegalArgumentException(
                    "memory: '" + memory + "' (expected: bytes with a unit, such as 512Mi" + " or 4Gi)");
        }
        if (gpus < 0 || gpus > 16) {
            throw new IllegalArgumentException("gpu: " + gpus + " (expected: 0..16 devices)");
        }
        nodeSelector = Map.copyOf(nodeSelector);
        nodeSelector.forEach((key, value) -> {
            if (!LABEL_KEY.matcher(key).matches() || !LABEL_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("node-selector: '" + key + "=" + value + "' (expected: node label"
                        + " pairs such as pool=gpu,zone=eu-west-1a)");
            }
        });
        tolerations = List.copyOf(tolerations);
        for (var t : tolerations) {
            if (!TOLERATION.matcher(t).matches()) {
                throw new IllegalArgumentException("tolerations: '" + t + "' (expected: key[=value]:Effect, the"
                        + " effect NoSchedule, PreferNoSchedule or NoExecute, such as gpu=true:NoSchedule)");
            }
        }
    }

    /** None: the cluster's defaults. */
    public static Resources none() {
        return new Resources(null, null, 0, Map.of(), List.of());
    }

    /** These resources with values replaced by key ({@code gpu=1}); an unknown key or a bad value throws. */
    public Resources with(Map<String, String> values) {
        var cpu = this.cpu;
        var memory = this.memory;
        var gpus = this.gpus;
        var nodeSelector = this.nodeSelector;
        var tolerations = this.tolerations;
        for (var e : values.entrySet()) {
            var value = e.getValue().strip();
            switch (e.getKey()) {
                case "cpu" -> cpu = value.isEmpty() ? null : value;
                case "memory" -> memory = value.isEmpty() ? null : value;
                case "gpu" -> gpus = whole(value);
                case "node-selector" -> nodeSelector = pairs(value);
                case "tolerations" -> tolerations = value.isEmpty() ? List.of() : List.of(value.split(","));
                default ->
                    throw new IllegalArgumentException(e.getKey() + ": unknown resource setting (expected one of: "
                            + String.join(", ", KEYS) + ")");
            }
        }
        return new Resources(cpu, memory, gpus, nodeSelector, tolerations);
    }

    /** The values by key, as {@link #with} takes them (those set only). */
    public Map<String, String> toMap() {
        var map = new LinkedHashMap<String, String>();
        if (cpu != null) {
            map.put("cpu", cpu);
        }
        if (memory != null) {
            map.put("memory", memory);
        }
        if (gpus > 0) {
            map.put("gpu", Integer.toString(gpus));
        }
        if (!nodeSelector.isEmpty()) {
            var sorted = new TreeMap<>(nodeSelector);
            map.put(
                    "node-selector",
                    String.join(
                            ",",
                            sorted.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue())
                                    .toList()));
        }
        if (!tolerations.isEmpty()) {
            map.put("tolerations", String.join(",", tolerations));
        }
        return map;
    }

    private static int whole(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gpu: '" + value + "' (expected: a whole number of devices, 0..16)");
        }
    }

    private static Map<String, String> pairs(String value) {
        var map = new LinkedHashMap<String, String>();
        if (value.isEmpty()) {
            return map;
        }
        for (var pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("node-selector: '" + pair + "' (expected: label=value pairs such"
                        + " as pool=gpu,zone=eu-west-1a)");
            }
            map.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return map;
    }
}
