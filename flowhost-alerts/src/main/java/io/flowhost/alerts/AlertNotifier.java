package io.flowhost.alerts;

import java.util.ArrayList;
import java.util.List;

/** Tells people about alerts that start firing or resolve; never blocks the evaluation that calls it. */
public interface AlertNotifier extends AutoCloseable {

    /** Sends these transitions (firing and resolved ones; others are ignored) without waiting for delivery. */
    void send(List<Transition> transitions);

    /** Stops sending, giving notifications on their way a moment to arrive. */
    @Override
    default void close() {}

    /** Writes each notification to the log: firing as a warning (info for severity info), resolved as info. */
    static AlertNotifier log() {
        return new LogNotifier();
    }

    /** POSTs notifications to each webhook in the Alertmanager webhook format, from a virtual thread per webhook. */
    static AlertNotifier webhooks(List<Webhook> webhooks, String externalUrl) {
        return new WebhookNotifier(webhooks, externalUrl);
    }

    /** The log, and the settings' webhooks if there are any. */
    static AlertNotifier of(AlertSettings settings) {
        return settings.webhooks().isEmpty()
                ? log()
                : all(log(), webhooks(settings.webhooks(), settings.externalUrl()));
    }

    /** Every one of these notifiers, in order. */
    static AlertNotifier all(AlertNotifier... notifiers) {
        var list = List.of(notifiers);
        return new AlertNotifier() {
            @Override
            public void send(List<Transition> transitions) {
                list.forEach(n -> n.send(transitions));
            }

            @Override
            public void close() {
                var failures = new ArrayList<RuntimeException>();
                for (var n : list) {
                    try {
                        n.close();
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
                if (!failures.isEmpty()) {
                    throw failures.getFirst();
                }
            }
        };
    }
}
