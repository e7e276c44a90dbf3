package io.flowhost.metaflow.error;

/** Something in a Metaflow datastore could not be found or read; the message says what and where. */
public class MetaflowException extends RuntimeException {

    public MetaflowException(String message) {
        super(message);
    }

    public MetaflowException(String message, Throwable cause) {
        super(message, cause);
    }
}
