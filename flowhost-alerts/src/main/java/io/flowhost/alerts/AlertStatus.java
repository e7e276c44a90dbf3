package io.flowhost.alerts;

import java.time.Instant;

/**
 * One alert as the API lists it.
 *
 * @param rule      the rule's name
 * @param kind      the rule's kind, which says the unit of value and threshold
 * @param service   the service it is about
 * @param severity  critical, warning or info
 * @param state     pending, firing or resolved
 * @param value     the value last observed in the kind's unit (a ratio, seconds, a count); null without data
 * @param threshold the rule's threshold, in the same unit
 * @param since     when it entered its state
 * @param summary   the rule's summary, written for this alert
 */
public record AlertStatus(
        String rule,
        RuleKind kind,
        String service,
        String severity,
        State state,
        Double value,
        double threshold,
        Instant since,
        String summary) {

    /** The status of an alert after an evaluation. */
    public static AlertStatus of(AlertState a) {
        return new AlertStatus(
                a.rule().name(),
                a.rule().kind(),
                a.service(),
                a.rule().severity(),
                a.state(),
                a.value(),
                a.rule().threshold(),
                a.since(),
                a.annotation("summary"));
    }
}
