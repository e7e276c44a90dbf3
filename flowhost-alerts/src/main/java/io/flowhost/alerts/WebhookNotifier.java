package io.flowhost.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Notifications to webhooks: one Alertmanager payload per rule per evaluation, to each webhook in turn. */
final class WebhookNotifier implements AlertNotifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<WebhookSender> senders;
    private final String externalUrl;

    WebhookNotifier(List<Webhook> webhooks, String externalUrl) {
        this.senders = webhooks.stream().map(WebhookSender::new).toList();
        this.externalUrl = externalUrl == null ? "" : externalUrl;
    }

    @Override
    public void send(List<Transition> transitions) {
        var byRule = new LinkedHashMap<String, List<AlertState>>();
        for (var t : transitions) {
            if (t.notifies()) {
                byRule.computeIfAbsent(t.alert().rule().name(), k -> new ArrayList<>())
                        .add(t.alert());
            }
        }
        for (var alerts : byRule.values()) {
            for (var sender : senders) {
                sender.enqueue(body(AlertmanagerPayload.of(sender.name(), externalUrl, alerts)));
            }
        }
    }

    @Override
    public void close() {
        senders.forEach(WebhookSender::close);
    }

    private static byte[] body(Object payload) {
        try {
            return JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an alert payload", e); // a tree of strings always writes
        }
    }
}
