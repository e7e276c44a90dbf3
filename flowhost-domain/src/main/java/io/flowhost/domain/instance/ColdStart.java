package io.flowhost.domain.instance;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where one instance's start went, part by part, from the driver asking for it to the driver seeing it ready. A child
 * process's parts are process start, JVM to main, listening, constructor and readiness; a pod's begin with being
 * scheduled, its image pulled and its container started.
 *
 * @param parts the parts in the order they happened
 * @param total from the driver asking to the instance ready, as the driver measured it
 */
public record ColdStart(List<Part> parts, Duration total) {

    /**
     * One part of a start.
     *
     * @param key its name in the API's JSON, e.g. {@code jvmToMain}
     * @param label its name for people, e.g. {@code JVM to main}
     * @param took how long it took
     */
    public record Part(String key, String label, Duration took) {
        public Part {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(label, "label");
            took = took.isNegative() ? Duration.ZERO : took; // clocks of two machines, a little apart
        }
    }

    public ColdStart {
        parts = List.copyOf(parts);
        Objects.requireNonNull(total, "total");
    }

    /** One line for logs: {@code 612 ms = process 45 + JVM to main 120 + listening 150 + constructor 280 + readiness 17}. */
    public String describe() {
        return total.toMillis() + " ms"
                + parts.stream()
                        .map(p -> p.label() + " " + p.took().toMillis())
                        .collect(Collectors.joining(" + ", parts.isEmpty() ? "" : " = ", ""));
    }
}
