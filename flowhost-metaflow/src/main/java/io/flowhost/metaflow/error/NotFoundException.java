package io.flowhost.metaflow.error;

/** A flow, run, step, task or artifact that the datastore does not have; the message lists what it has. */
public final class NotFoundException extends MetaflowException {

    public NotFoundException(String message) {
        super(message);
    }
}
