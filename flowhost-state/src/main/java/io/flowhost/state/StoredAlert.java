package io.flowhost.state;

import java.time.Instant;

/**
 * One alert as the state store keeps it, so that a restarted server (or another gateway) goes on where it was:
 * a firing alert is not notified again, a pending one keeps the time it has been pending.
 *
 * @param rule the rule's name
 * @param service the service it is about
 * @param state {@code pending}, {@code firing} or {@code resolved}
 * @param value the value last observed, or null
 * @param activeSince when the condition last became true, or null
 * @param firingSince when it started firing, or null
 * @param resolvedAt when it resolved, or null
 */
public record StoredAlert(
        String rule,
        String service,
        String state,
        Double value,
        Instant activeSince,
        Instant firingSince,
        Instant resolvedAt) {}
