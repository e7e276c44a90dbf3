package io.flowhost.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of {@code GET /v1/alerts}, written by the server and read by the CLI:
 * {@code {"alerts": [{rule, kind, service, severity, state, value, threshold, since, summary}],
 * "rules": [{name, kind, service, severity, condition}]}}; value and threshold in the kind's unit (seconds for
 * durations), value null without data, since as ISO-8601, service null in a rule about every service.
 */
public final class AlertsJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertsJson() {}

    /** The body for the API: the alerts that are not inactive, and every rule. */
    public static ObjectNode of(List<AlertStatus> alerts, List<Rule> rules) {
        var root = JSON.createObjectNode();
        var list = root.putArray("alerts");
        for (var a : alerts) {
            var node = list.addObject();
            node.put("rule", a.rule());
            node.put("kind", a.kind().key());
            node.put("service", a.service());
            node.put("severity", a.severity());
            node.put("state", a.state().label());
            node.put("value", a.value());
            node.put("threshold", a.threshold());
            node.put("since", a.since() == null ? null : a.since().toString());
            node.put("summary", a.summary());
        }
        var ruleList = root.putArray("rules");
        for (var r : rules) {
            var node = ruleList.addObject();
            node.put("name", r.name());
            node.put("kind", r.kind().key());
            node.put("service", r.service());
            node.put("severity", r.severity());
            node.put("window", r.window() == null ? null : Spans.format(r.window()));
            node.put("for", Spans.format(r.forDuration()));
            node.put("condition", r.condition());
        }
        return root;
    }

    /** The alerts of such a body, as the CLI reads them. */
    public static List<AlertStatus> alerts(JsonNode body) {
        var out = new ArrayList<AlertStatus>();
        for (var node : body.path("alerts")) {
            var value = node.path("value");
            var since = node.path("since");
            out.add(new AlertStatus(
                    node.path("rule").asText(),
                    RuleKind.of(node.path("kind").asText()),
                    node.path("service").asText(),
                    node.path("severity").asText(),
                    State.of(node.path("state").asText()),
                    value.isNumber() ? value.asDouble() : null,
                    node.path("threshold").asDouble(),
                    since.isTextual() ? Instant.parse(since.asText()) : null,
                    node.path("summary").asText()));
        }
        return out;
    }
}
