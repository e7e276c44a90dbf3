package io.flowhost.instances;

/** An instance that did not become ready; the message carries what the instance reported. */
public final class InstanceStartException extends Exception {

    public InstanceStartException(String message) {
        super(message);
    }
}
