package io.flowhost.domain.service;

/** An endpoint's handler threw: a bug in the service, logged in the instance under an error id. */
public final class HandlerFailedException extends RuntimeException {

    private final String errorId;

    public HandlerFailedException(String endpoint, String errorId, Throwable cause) {
        super(
                "endpoint '" + endpoint + "' failed with " + cause.getClass().getSimpleName()
                        + "; the instance log has the stack trace under error id " + errorId,
                cause,
                false,
                false);
        this.errorId = errorId;
    }

    /** The id under which the instance logged the stack trace. */
    public String errorId() {
        return errorId;
    }
}
