package io.flowhost.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.domain.deployment.UnknownDeploymentException;
import io.flowhost.server.observe.History;
import io.flowhost.server.observe.HistorySampler;

/**
 * {@code GET /v1/history/{deployment}}: a deployment's last hour as columns (one array per measure, aligned on
 * {@code at}, epoch seconds), the shape chart libraries take; a quantile is null for an interval without calls.
 */
final class HistoryView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryView() {}

    static ObjectNode of(String deployment, History history) throws UnknownDeploymentException {
        var points = history.of(deployment);
        if (points.isEmpty()) {
            throw new UnknownDeploymentException(deployment);
        }
        var view = JSON.createObjectNode();
        view.put("deployment", deployment);
        view.put("everySeconds", HistorySampler.EVERY.toSeconds());
        var at = view.putArray("at");
        var calls = view.putArray("callsPerSecond");
        var errors = view.putArray("errorRate");
        var p50 = view.putArray("p50Ms");
        var p99 = view.putArray("p99Ms");
        var instances = view.putArray("instances");
        var held = view.putArray("held");
        for (var point : points) {
            at.add(point.at().getEpochSecond());
            calls.add(point.callsPerSecond());
            errors.add(point.errorRate());
            if (point.p50Millis() == null) {
                p50.addNull();
            } else {
                p50.add(point.p50Millis());
            }
            if (point.p99Millis() == null) {
                p99.addNull();
            } else {
                p99.add(point.p99Millis());
            }
            instances.add(point.instances());
            held.add(point.held());
        }
        return view;
    }
}
