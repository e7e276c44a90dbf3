package io.flowhost.state;

/** The requests database could not be opened, read or written, or the store is closed. */
public final class RequestStoreException extends RuntimeException {

    /** A failure with its cause. */
    public RequestStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure without an underlying cause. */
    public RequestStoreException(String message) {
        super(message);
    }
}
