package io.flowhost.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Alertmanager webhook payload (version 4) for the alerts of one rule: a group per rule, grouped by
 * {@code alertname}, so that receivers written for Alertmanager read it as they read Alertmanager's own.
 */
final class AlertmanagerPayload {

    /** Alertmanager's {@code endsAt} for an alert that has not ended: Go's zero time. */
    static final String NOT_ENDED = "0001-01-01T00:00:00Z";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertmanagerPayload() {}

    /** The payload for {@code receiver} about alerts of one rule; firing if any of them fires, else resolved. */
    static ObjectNode of(String receiver, String externalUrl, List<AlertState> alerts) {
        var rule = alerts.getFirst().rule();
        var root = JSON.createObjectNode();
        root.put("version", "4");
        root.put("groupKey", "{}:{alertname=\"" + rule.name() + "\"}");
        root.put("truncatedAlerts", 0);
        root.put("status", alerts.stream().anyMatch(a -> a.state() == State.FIRING) ? "firing" : "resolved");
        root.put("receiver", receiver);
        root.set("groupLabels", object(Map.of("alertname", rule.name())));
        var labels = alerts.stream().map(AlertmanagerPayload::labels).toList();
        var annotations = alerts.stream().map(AlertmanagerPayload::annotations).toList();
        root.set("commonLabels", object(common(labels)));
        root.set("commonAnnotations", object(common(annotations)));
        root.put("externalURL", externalUrl);
        var list = root.putArray("alerts");
        for (int i = 0; i < alerts.size(); i++) {
            list.add(alert(alerts.get(i), labels.get(i), annotations.get(i), externalUrl));
        }
        return root;
    }

    /** An alert's labels: alertname, service, severity and the rule's own, sorted by name. */
    static Map<String, String> labels(AlertState a) {
        var labels = new TreeMap<>(a.rule().labels());
        labels.put("alertname", a.rule().name());
        labels.put("service", a.service());
        labels.put("severity", a.rule().severity());
        return labels;
    }

    /**
     * Prometheus's fingerprint of a label set: FNV-1a 64 over the labels sorted by name, each name and value followed
     * by the byte 255, written as 16 hex digits; so the same alert has the same fingerprint as there.
     */
    static String fingerprint(Map<String, String> labels) {
        long hash = 0xcbf29ce484222325L;
        for (var e : new TreeMap<>(labels).entrySet()) {
            hash = add(hash, e.getKey());
            hash = addByte(hash, (byte) 255);
            hash = add(hash, e.getValue());
            hash = addByte(hash, (byte) 255);
        }
        return String.format("%016x", hash);
    }

    private static ObjectNode alert(
            AlertState a, Map<String, String> labels, Map<String, String> annotations, String externalUrl) {
        var node = JSON.createObjectNode();
        node.put("status", a.state() == State.FIRING ? "firing" : "resolved");
        node.set("labels", object(labels));
        node.set("annotations", object(annotations));
        node.put("startsAt", a.firingSince().toString());
        node.put("endsAt", a.resolvedAt() == null ? NOT_ENDED : a.resolvedAt().toString());
        node.put(
                "generatorURL",
                externalUrl.isEmpty()
                        ? ""
                        : externalUrl + "/v1/alerts?rule=" + a.rule().name());
        node.put("fingerprint", fingerprint(labels));
        return node;
    }

    private static Map<String, String> annotations(AlertState a) {
        var out = new TreeMap<String, String>();
        a.rule().annotations().keySet().forEach(name -> out.put(name, a.annotation(name)));
        return out;
    }

    /** The entries every one of the maps has, with the same value. */
    private static Map<String, String> common(List<Map<String, String>> maps) {
        var common = new TreeMap<>(maps.getFirst());
        for (var m : maps) {
            common.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
        }
        return common;
    }

    private static ObjectNode object(Map<String, String> map) {
        var node = JSON.createObjectNode();
        new TreeMap<>(map).forEach(node::put);
        return node;
    }

    private static long add(long hash, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            hash = addByte(hash, b);
        }
        return hash;
    }

    private static long addByte(long hash, byte b) {
        return (hash ^ (b & 0xff)) * 0x100000001b3L;
    }
}
