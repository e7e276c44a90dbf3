package io.flowhost.runtime.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One instance's {@link Batcher}s, one per batched endpoint, made at the first call (the service exists by then). */
final class Batchers {

    private final Map<String, Batcher> byEndpoint = new ConcurrentHashMap<>();

    Batcher of(EndpointBinding endpoint, Object service) {
        var batcher = byEndpoint.get(endpoint.name());
        return batcher != null
                ? batcher
                : byEndpoint.computeIfAbsent(endpoint.name(), n -> Batcher.of(endpoint, service));
    }
}
