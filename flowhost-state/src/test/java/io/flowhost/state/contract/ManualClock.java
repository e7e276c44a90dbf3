package io.flowhost.state.contract;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when a test says so. */
public final class ManualClock implements InstantSource {

    private Instant now = Instant.parse("2025-06-01T12:00:00Z");

    @Override
    public Instant instant() {
        return now;
    }

    /** Moves the clock forward and returns the new time. */
    public Instant advance(Duration by) {
        now = now.plus(by);
        return now;
    }
}
