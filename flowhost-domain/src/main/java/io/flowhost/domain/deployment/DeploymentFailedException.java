package io.flowhost.domain.deployment;

/** A jar that could not be deployed: the service class is wrong, or its first instance did not start. */
public final class DeploymentFailedException extends Exception {

    public DeploymentFailedException(String message) {
        super(message);
    }
}
