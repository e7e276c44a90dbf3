package io.flowhost.alerts;

import io.flowhost.state.AlertStateStore;
import io.flowhost.state.StoredAlert;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The alerts' states kept in the state store, so that a restart neither notifies a firing alert again nor
 * starts a pending one's {@code for} over. An alert of a rule that is no longer configured is forgotten.
 */
final class AlertMemory {

    private static final System.Logger LOG = System.getLogger("flowhost.alerts");

    private final AlertStateStore store;

    AlertMemory(AlertStateStore store) {
        this.store = store;
    }

    /** The states last kept, under the rules as configured now. */
    AlertStates recall(List<Rule> rules) {
        var states = new ArrayList<AlertState>();
        for (var kept : store.load()) {
            rules.stream()
                    .filter(r -> r.name().equals(kept.rule()))
                    .findFirst()
                    .ifPresent(rule -> states.add(new AlertState(
                            rule,
                            kept.service(),
                            State.of(kept.state()),
                            kept.value(),
                            kept.activeSince(),
                            kept.firingSince(),
                            kept.resolvedAt())));
        }
        return AlertStates.of(states);
    }

    /** Keeps these states; a failure is logged and the engine goes on (they are kept again at the next change). */
    void remember(AlertStates states) {
        try {
            store.save(states.all().stream()
                    .map(s -> new StoredAlert(
                            s.rule().name(),
                            s.service(),
                            s.state().label(),
                            s.value(),
                            s.activeSince(),
                            s.firingSince(),
                            s.resolvedAt()))
                    .toList());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "keeping the alert states failed: " + e.getMessage());
        }
    }
}
