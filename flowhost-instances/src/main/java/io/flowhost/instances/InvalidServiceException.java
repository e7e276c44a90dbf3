package io.flowhost.instances;

/** A service jar that cannot be served; the message says what is wrong and what to change. */
public final class InvalidServiceException extends Exception {

    public InvalidServiceException(String message) {
        super(message);
    }
}
