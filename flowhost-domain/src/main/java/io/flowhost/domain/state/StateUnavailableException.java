package io.flowhost.domain.state;

/**
 * The state store (the database that holds deployments and the async queue) cannot be reached now: a caller should
 * try again shortly (503 with Retry-After). Nothing was written.
 */
public final class StateUnavailableException extends RuntimeException {

    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
