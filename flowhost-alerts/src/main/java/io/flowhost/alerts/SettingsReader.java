package io.flowhost.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.settings.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the settings file's JSON into checked records, failing with where, which key and what was expected. */
final class SettingsReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TOP =
            List.of("evaluation-interval", "resolved-retention", "external-url", "webhooks", "rules");
    private static final List<String> RULE =
            List.of("name", "kind", "service", "threshold", "window", "for", "severity", "labels", "annotations");
    private static final List<String> WEBHOOK = List.of("name", "url", "timeout", "max-attempts", "retry-backoff");

    private SettingsReader() {}

    static AlertSettings read(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new IllegalArgumentException(
                    "not valid JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                            + ": " + e.getOriginalMessage(),
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object with \"rules\" (and \"webhooks\")");
        }
        onlyKeys(root, TOP);
        var webhooks = new ArrayList<Webhook>();
        var hooks = array(root, "webhooks");
        for (int i = 0; i < hooks.size(); i++) {
            webhooks.add(webhook(hooks.get(i), i));
        }
        var rules = new ArrayList<Rule>();
        var ruleNodes = array(root, "rules");
        for (int i = 0; i < ruleNodes.size(); i++) {
            rules.add(rule(ruleNodes.get(i), i));
        }
        return new AlertSettings(
                duration(root, "evaluation-interval", "15s"),
                duration(root, "resolved-retention", "15m"),
                text(root, "external-url", ""),
                webhooks,
                rules);
    }

    private static Rule rule(JsonNode node, int index) {
        var name = node.path("name");
        var where = name.isTextual() && !name.asText().isBlank() ? "rule " + name.asText() : "rules[" + index + "]";
        RuleKind kind;
        double threshold;
        Duration window;
        Duration forDuration;
        String service;
        String severity;
        Map<String, String> labels;
        Map<String, String> annotations;
        try {
            if (!node.isObject()) {
                throw new IllegalArgumentException("expected an object with name, kind, threshold, ...");
            }
            onlyKeys(node, RULE);
            if (!name.isTextual()) {
                throw Invalid.of(
                        "name", name.isMissingNode() ? "missing" : name, "a name such as " + "FlowhostErrorRatioHigh");
            }
            kind = RuleKind.of(text(node, "kind", "missing"));
            threshold = threshold(node, kind);
            window = node.has("window") ? duration(node, "window", null) : null;
            forDuration = duration(node, "for", "0s");
            service = text(node, "service", null);
            severity = text(node, "severity", "warning");
            labels = texts(node, "labels");
            annotations = texts(node, "annotations");
        } catch (IllegalArgumentException e) {
            throw Invalid.in(where, e);
        }
        return new Rule(name.asText(), kind, service, threshold, window, forDuration, severity, labels, annotations);
    }

    private static double threshold(JsonNode rule, RuleKind kind) {
        var node = rule.path("threshold");
        if (kind.isDuration()) {
            if (!node.isTextual()) {
                throw Invalid.of(
                        "threshold",
                        node.isMissingNode() ? "missing" : node,
                        "a duration such as 500ms " + "for " + kind.key());
            }
            return parseDuration("threshold", node.asText()).toNanos() / 1e9;
        }
        if (!node.isNumber()) {
            throw Invalid.of("threshold", node.isMissingNode() ? "missing" : node, "a number for " + kind.key());
        }
        return node.asDouble();
    }

    private static Webhook webhook(JsonNode node, int index) {
        var name = node.path("name");
        var where = name.isTextual() ? "webhook " + name.asText() : "webhooks[" + index + "]";
        URI url;
        Duration timeout;
        Duration backoff;
        JsonNode maxAttempts = node.path("max-attempts");
        try {
            if (!node.isObject()) {
                throw new IllegalArgumentException("expected an object with a url");
            }
            onlyKeys(node, WEBHOOK);
            var text = text(node, "url", null);
            if (text == null) {
                throw Invalid.of("url", "missing", "an http or https URL");
            }
            url = uri(text);
            if (!maxAttempts.isMissingNode() && !maxAttempts.canConvertToExactIntegral()) {
                throw Invalid.of("max-attempts", maxAttempts, "a whole number 1..10");
            }
            timeout = duration(node, "timeout", "10s");
            backoff = duration(node, "retry-backoff", "1s");
        } catch (IllegalArgumentException e) {
            throw Invalid.in(where, e);
        }
        return new Webhook(name.isTextual() ? name.asText() : "webhook", url, timeout, maxAttempts.asInt(3), backoff);
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw Invalid.of("url", "'" + text + "'", "an http or https URL");
        }
    }

    private static void onlyKeys(JsonNode node, List<String> keys) {
        for (var e : node.properties()) {
            var key = e.getKey();
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(
                        key + ": unknown key (expected one of: " + String.join(", ", keys) + ")");
            }
        }
    }

    private static JsonNode array(JsonNode node, String key) {
        var value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return JSON.createArrayNode();
        }
        if (!value.isArray()) {
            throw Invalid.of(key, value, "a list");
        }
        return value;
    }

    private static String text(JsonNode node, String key, String otherwise) {
        var value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return otherwise;
        }
        if (!value.isTextual()) {
            throw Invalid.of(key, value, "a text");
        }
        return value.asText();
    }

    private static Duration duration(JsonNode node, String key, String otherwise) {
        var text = text(node, key, otherwise);
        return text == null ? null : parseDuration(key, text);
    }

    private static Duration parseDuration(String key, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw Invalid.of(key, "'" + text + "'", "a duration such as 500ms, 30s, 5m or 1h");
        }
    }

    private static Map<String, String> texts(JsonNode node, String key) {
        var value = node.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw Invalid.of(key, value, "an object of names to texts");
        }
        var map = new LinkedHashMap<String, String>();
        for (var e : value.properties()) {
            if (!e.getValue().isTextual()) {
                throw Invalid.of(key + "." + e.getKey(), e.getValue(), "a text");
            }
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }
}
