package io.flowhost.alerts;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of evaluating the rules once.
 *
 * @param at          when
 * @param states      every alert that is not inactive, to pass to the next evaluation
 * @param transitions every change of state in this evaluation, in rule order
 */
public record Evaluation(Instant at, AlertStates states, List<Transition> transitions) {

    /** The transitions to notify: to firing and to resolved. */
    public List<Transition> notifications() {
        return transitions.stream().filter(Transition::notifies).toList();
    }
}
