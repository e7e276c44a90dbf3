package io.flowhost.alerts;

import java.util.Locale;

/** Where an alert is in its life: inactive → pending → firing → resolved → inactive. */
public enum State {
    /** The condition is false (or there is no data): nothing to show. */
    INACTIVE,
    /** The condition is true, but not yet for the rule's {@code for} duration. */
    PENDING,
    /** The condition has been true for at least {@code for}: notified. */
    FIRING,
    /** The condition became false after firing: notified, listed for a while, then inactive. */
    RESOLVED;

    /** The state as written in JSON and logs: {@code firing}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state written as {@link #label()}. */
    public static State of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
