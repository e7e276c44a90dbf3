package io.flowhost.domain.deployment;

/** No deployment has the id asked for. */
public final class UnknownDeploymentException extends Exception {

    public UnknownDeploymentException(String id) {
        super("no deployment '" + id + "'; GET /v1/deployments lists them");
    }
}
