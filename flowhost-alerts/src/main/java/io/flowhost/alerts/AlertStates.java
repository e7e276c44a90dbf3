package io.flowhost.alerts;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every alert that is not inactive, by identity; immutable, one per evaluation. */
public final class AlertStates {

    private static final AlertStates EMPTY = new AlertStates(Map.of());

    private final Map<AlertKey, AlertState> states;

    private AlertStates(Map<AlertKey, AlertState> states) {
        this.states = states;
    }

    /** No alerts: where a server starts. */
    public static AlertStates empty() {
        return EMPTY;
    }

    /** These states, in the order given; inactive ones are left out. */
    public static AlertStates of(Collection<AlertState> states) {
        var map = new LinkedHashMap<AlertKey, AlertState>();
        for (var s : states) {
            if (s.state() != State.INACTIVE) {
                map.put(s.key(), s);
            }
        }
        return new AlertStates(Collections.unmodifiableMap(map));
    }

    /** The alert of a rule about a service, inactive when there is none. */
    public AlertState get(Rule rule, String service) {
        var s = states.get(new AlertKey(rule.name(), service));
        if (s == null) {
            return AlertState.inactive(rule, service);
        }
        // Rules may be reloaded: the state goes on under the rule as it is now (its new 'for', threshold, labels).
        return s.rule().equals(rule)
                ? s
                : new AlertState(rule, service, s.state(), s.value(), s.activeSince(), s.firingSince(), s.resolvedAt());
    }

    /** The services a rule has an alert about. */
    public List<String> servicesOf(String rule) {
        return states.keySet().stream()
                .filter(k -> k.rule().equals(rule))
                .map(AlertKey::service)
                .toList();
    }

    /** Every alert that is pending, firing or resolved, in rule order, then by service. */
    public List<AlertState> all() {
        return List.copyOf(states.values());
    }
}
