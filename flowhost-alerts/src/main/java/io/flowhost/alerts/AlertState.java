package io.flowhost.alerts;

import java.time.Duration;
import java.time.Instant;

/**
 * One alert (a rule about one service) after an evaluation, and the pure step to its next state.
 *
 * @param rule        the rule
 * @param service     the service
 * @param state       where it is
 * @param value       the value last observed, in the kind's unit; null when there was no data
 * @param activeSince when the condition last became true (pending from then), null when inactive
 * @param firingSince when it started firing, null when it has not
 * @param resolvedAt  when it resolved, null unless resolved
 */
public record AlertState(
        Rule rule,
        String service,
        State state,
        Double value,
        Instant activeSince,
        Instant firingSince,
        Instant resolvedAt) {

    /** The starting point of every alert: inactive, nothing observed. */
    public static AlertState inactive(Rule rule, String service) {
        return new AlertState(rule, service, State.INACTIVE, null, null, null, null);
    }

    /** This alert's identity. */
    public AlertKey key() {
        return new AlertKey(rule.name(), service);
    }

    /** When the alert entered its state: pending since, firing since, resolved at; null when inactive. */
    public Instant since() {
        return switch (state) {
            case INACTIVE -> null;
            case PENDING -> activeSince;
            case FIRING -> firingSince;
            case RESOLVED -> resolvedAt;
        };
    }

    /** The annotation {@code name} written for this alert, e.g. its summary. */
    public String annotation(String name) {
        var text = rule.annotations().get(name);
        return text == null ? null : Template.render(text, rule, service, value);
    }

    /**
     * The next state given whether the condition holds now: pending until it has held for {@code for}, then firing;
     * resolved when it stops holding while firing, kept for {@code keepResolved}; a pending alert whose condition
     * stops holding is inactive again at once (a flapping condition starts its {@code for} over).
     */
    public AlertState next(boolean holds, Double observed, Instant now, Duration keepResolved) {
        return switch (state) {
            case INACTIVE -> holds ? activate(observed, now) : this;
            case PENDING ->
                !holds
                        ? inactive(rule, service)
                        : forElapsed(activeSince, now)
                                ? with(State.FIRING, observed, activeSince, now, null)
                                : with(State.PENDING, observed, activeSince, null, null);
            case FIRING ->
                holds
                        ? with(State.FIRING, observed, activeSince, firingSince, null)
                        : with(State.RESOLVED, observed, activeSince, firingSince, now);
            case RESOLVED ->
                holds
                        ? activate(observed, now)
                        : !now.isBefore(resolvedAt.plus(keepResolved))
                                ? inactive(rule, service)
                                : with(State.RESOLVED, observed, activeSince, firingSince, resolvedAt);
        };
    }

    /** A new episode: pending, or firing at once when the rule has no {@code for}. */
    private AlertState activate(Double observed, Instant now) {
        return rule.forDuration().isZero()
                ? with(State.FIRING, observed, now, now, null)
                : with(State.PENDING, observed, now, null, null);
    }

    private boolean forElapsed(Instant since, Instant now) {
        return !now.isBefore(since.plus(rule.forDuration()));
    }

    private AlertState with(State next, Double observed, Instant active, Instant firing, Instant resolved) {
        return new AlertState(rule, service, next, observed, active, firing, resolved);
    }
}
