package io.flowhost.alerts;

import java.time.Instant;

/**
 * An alert changing state in one evaluation.
 *
 * @param from  the state it left
 * @param alert the alert as it is now, in its new state
 * @param at    when the evaluation ran
 */
public record Transition(State from, AlertState alert, Instant at) {

    /** The state it entered. */
    public State to() {
        return alert.state();
    }

    /** Whether people are told: when it starts firing and when it resolves; pending comes and goes silently. */
    public boolean notifies() {
        return to() == State.FIRING || to() == State.RESOLVED;
    }
}
