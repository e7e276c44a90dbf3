package io.flowhost.domain.state;

/**
 * No gateway leads the shared state right now (the leader died and another takes over within seconds), so what
 * only the leader does, such as a deploy, cannot be done: a caller should try again shortly (503 with Retry-After).
 */
public final class NoLeaderException extends RuntimeException {

    public NoLeaderException(String message) {
        super(message);
    }
}
