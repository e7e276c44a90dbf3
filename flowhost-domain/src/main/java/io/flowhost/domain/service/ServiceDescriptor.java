package io.flowhost.domain.service;

import io.flowhost.domain.settings.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a service jar offers: the service's name, its class, its endpoints and the scaling defaults
 * its {@code @Service} annotation gives ({@code min-instances} → {@code 1}, ...), as the instance
 * runtime found them; the server stores it with each deployment.
 */
public record ServiceDescriptor(
        String service, String className, List<EndpointDescriptor> endpoints, Map<String, String> scaling) {

    public ServiceDescriptor {
        endpoints = List.copyOf(endpoints);
        scaling = scaling == null ? Map.of() : Map.copyOf(scaling); // absent in descriptors stored before it existed
    }

    /** A descriptor without scaling defaults. */
    public ServiceDescriptor(String service, String className, List<EndpointDescriptor> endpoints) {
        this(service, className, endpoints, Map.of());
    }

    /** The endpoint with this route name, if the service has it. */
    public Optional<EndpointDescriptor> endpoint(String name) {
        for (var endpoint : endpoints) {
            if (endpoint.name().equals(name)) {
                return Optional.of(endpoint);
            }
        }
        return Optional.empty();
    }

    /**
     * One endpoint.
     *
     * @param name the route name
     * @param method {@code GET} (no body) or {@code POST}
     * @param input the request body's Java type, or empty for GET
     * @param output the response's Java type
     * @param example an example request body, or empty
     * @param modes how it may be called: {@code sync}, {@code async}, or both
     * @param batch how its calls are gathered into batches, or null when they are not
     * @param streams whether it answers with a stream of {@code output}s (JSON Lines or Server-Sent Events)
     * @param inputSchema the JSON Schema (2020-12) of the body, or null (no body, or described before schemas were)
     * @param outputSchema the JSON Schema of the answer (of one item of a stream or of a batch's answers), or null
     */
    public record EndpointDescriptor(
            String name,
            String method,
            String input,
            String output,
            String example,
            List<String> modes,
            BatchSettings batch,
            boolean streams,
            Map<String, Object> inputSchema,
            Map<String, Object> outputSchema) {

        /** Both modes unless given: descriptors stored before modes existed allowed both. */
        public EndpointDescriptor {
            modes = modes == null || modes.isEmpty() ? List.of("sync", "async") : List.copyOf(modes);
        }

        /** An endpoint that answers with one value. */
        public EndpointDescriptor(
                String name,
                String method,
                String input,
                String output,
                String example,
                List<String> modes,
                BatchSettings batch) {
            this(name, method, input, output, example, modes, batch, false, null, null);
        }

        /** An endpoint whose calls are not batched. */
        public EndpointDescriptor(
                String name, String method, String input, String output, String example, List<String> modes) {
            this(name, method, input, output, example, modes, null);
        }

        /** An endpoint callable both ways. */
        public EndpointDescriptor(String name, String method, String input, String output, String example) {
            this(name, method, input, output, example, List.of("sync", "async"));
        }

        /** Whether the endpoint may be called this way ({@code sync} or {@code async}). */
        public boolean allows(String mode) {
            return modes.contains(mode);
        }
    }

    /**
     * How an endpoint's calls are gathered into batches.
     *
     * @param maxSize the most items in one batch
     * @param maxDelay how long a batch others are joining may wait to fill, as written ({@code 5ms})
     */
    public record BatchSettings(int maxSize, String maxDelay) {

        /** The most items a batch may hold. */
        public static final int MOST = 1024;

        /** The longest a batch may wait to fill. */
        public static final Duration LONGEST_DELAY = Duration.ofSeconds(1);

        /**
         * Reads {@code max=64,delay=2ms} (a model deployment's {@code --batch}); the delay defaults to 5 ms.
         *
         * @throws IllegalArgumentException saying what is wrong and what is allowed
         */
        public static BatchSettings parse(String spec) {
            int max = -1;
            String delay = "5ms";
            for (var part : spec.split(",")) {
                var kv = part.strip().split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("batch '" + spec + "': write max=64,delay=2ms");
                }
                switch (kv[0].strip()) {
                    case "max" -> {
                        try {
                            max = Integer.parseInt(kv[1].strip());
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("batch '" + spec + "': max is a whole number of items");
                        }
                    }
                    case "delay" -> delay = kv[1].strip();
                    default ->
                        throw new IllegalArgumentException(
                                "batch '" + spec + "': '" + kv[0].strip() + "' is neither max nor delay");
                }
            }
            if (max < 2 || max > MOST) {
                throw new IllegalArgumentException("batch '" + spec + "': max is 2 to " + MOST + " items");
            }
            Duration parsed;
            try {
                parsed = Durations.parse(delay);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("batch '" + spec + "': delay " + e.getMessage());
            }
            if (parsed.compareTo(LONGEST_DELAY) > 0) {
                throw new IllegalArgumentException("batch '" + spec + "': delay is at most 1s");
            }
            return new BatchSettings(max, delay);
        }

        /** {@link #maxDelay()} read. */
        public Duration delay() {
            return Durations.parse(maxDelay);
        }
    }
}
