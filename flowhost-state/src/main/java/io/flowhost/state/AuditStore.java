package io.flowhost.state;

import io.flowhost.domain.audit.AuditEvent;
import java.time.Instant;
import java.util.List;

/** The audit trail, shared by every gateway on the same state: appended to, read back by time, pruned by age. */
public interface AuditStore {

    /** Keeps these events, in one write. */
    void add(List<AuditEvent> events);

    /** The events at or after {@code since}, oldest first, at most {@code limit} of them (the newest if more). */
    List<AuditEvent> since(Instant since, int limit);

    /** Forgets the events before {@code before}; returns how many. */
    int prune(Instant before);
}
