package io.flowhost.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.control.scaling.ScalingLoop;
import io.flowhost.domain.deployment.UnknownDeploymentException;
import io.flowhost.server.observe.ColdStarts;
import io.flowhost.server.observe.History;
import java.util.List;

/**
 * {@code GET /v1/history/{deployment}}: a deployment's last hour as columns (one array per measure, aligned on
 * {@code at}, epoch seconds), the shape chart libraries take, a quantile null for an interval without calls; with its
 * scaling decisions that changed the instances wanted and its instances' cold starts, part by part. {@code GET
 * /v1/history}: every deployment's calls a second and its newest point, for a list.
 */
final class HistoryView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryView() {}

    static ObjectNode of(
            String deployment, History history, List<ScalingLoop.Change> changes, List<ColdStarts.Start> starts)
            throws UnknownDeploymentException {
        var points = history.of(deployment);
        if (points.isEmpty() && changes.isEmpty() && starts.isEmpty()) {
            throw new UnknownDeploymentException(deployment);
        }
        var view = JSON.createObjectNode();
        view.put("deployment", deployment);
        view.put("everySeconds", history.every().toSeconds());
        var at = view.putArray("at");
        var calls = view.putArray("callsPerSecond");
        var errors = view.putArray("errorRate");
        var p50 = view.putArray("p50Ms");
        var p99 = view.putArray("p99Ms");
        var instances = view.putArray("instances");
        var held = view.putArray("held");
        var queued = view.putArray("queued");
        var running = view.putArray("running");
        for (var point : points) {
            at.add(point.at().getEpochSecond());
            calls.add(point.callsPerSecond());
            errors.add(point.errorRate());
            addOrNull(p50, point.p50Millis());
            addOrNull(p99, point.p99Millis());
            instances.add(point.instances());
            held.add(point.held());
            queued.add(point.queued());
            running.add(point.running());
        }
        var decisions = view.putArray("decisions");
        for (var change : changes) {
            decisions
                    .addObject()
                    .put("at", change.at().toString())
                    .put("from", change.from())
                    .put("to", change.to())
                    .put("reason", change.reason())
                    .put("panicking", change.panicking());
        }
        var coldStarts = view.putArray("coldStarts");
        for (var start : starts) {
            var node = coldStarts
                    .addObject()
                    .put("readyAt", start.readyAt().toString())
                    .put("instance", start.instance())
                    .put("totalMs", start.took().total().toMillis());
            var parts = node.putObject("partsMs");
            start.took().parts().forEach(p -> parts.put(p.key(), p.took().toMillis()));
        }
        return view;
    }

    /** Every deployment's calls a second over the span and its newest point's numbers. */
    static ObjectNode summary(History history) {
        var view = JSON.createObjectNode();
        view.put("everySeconds", history.every().toSeconds());
        var all = view.putObject("deployments");
        for (var deployment : history.deployments()) {
            var points = history.of(deployment);
            if (points.isEmpty()) {
                continue;
            }
            var one = all.putObject(deployment);
            var calls = one.putArray("callsPerSecond");
            points.forEach(p -> calls.add(p.callsPerSecond()));
            var last = points.getLast();
            one.put("at", last.at().getEpochSecond());
            one.put("errorRate", last.errorRate());
            one.put("p50Ms", last.p50Millis());
            one.put("p99Ms", last.p99Millis());
        }
        return view;
    }

    private static void addOrNull(ArrayNode column, Double value) {
        if (value == null) {
            column.addNull();
        } else {
            column.add(value);
        }
    }
}
