package io.flowhost.runtime.internal;

import io.flowhost.sdk.CallRejectedException;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The service a warm spare serves to itself before it is handed a deployment: records, lists, maps and numbers in
 * and out, a rejected call and a GET, so that the classes and code paths every service's calls take are loaded and
 * compiled ahead of its first real call.
 */
@Service(name = "warm-up")
public final class WarmUpService {

    /** A request shaped like a typical model's input. */
    public record Features(String id, double scale, List<Double> values, Map<String, Object> extra) {}

    /** An answer shaped like a typical model's output. */
    public record Score(String id, double score, List<Double> scaled, Map<String, Object> extra) {}

    @Endpoint("score")
    public Score score(Features features) {
        if (features.values() == null || features.values().isEmpty()) {
            throw new CallRejectedException("'values' is empty");
        }
        double sum = 0;
        var scaled = new double[features.values().size()];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = features.values().get(i) * features.scale();
            sum += scaled[i];
        }
        return new Score(
                features.id(),
                sum / scaled.length,
                Arrays.stream(scaled).boxed().toList(),
                features.extra());
    }

    @Endpoint("info")
    public Map<String, Object> info() {
        return Map.of("service", "warm-up", "endpoints", List.of("score", "info"));
    }
}
