package io.flowhost.domain.service;

import java.util.List;

/** A deploy refused because the new version would break callers of the running one; it lists each change. */
public final class BreakingChangeException extends Exception {

    private final List<String> changes;

    public BreakingChangeException(String service, String running, List<String> changes) {
        super("deploying this version of '" + service + "' would break callers of " + running + ": "
                + String.join("; ", changes) + ". Deploy it with --allow-breaking (?allow-breaking=true) if the"
                + " callers are ready for it");
        this.changes = List.copyOf(changes);
    }

    /** Each change, in words: where in the request or answer, and what changed. */
    public List<String> changes() {
        return changes;
    }
}
