package io.flowhost.instances;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.service.ServiceDescriptor;
import java.nio.file.Path;

/**
 * Starts and checks instances of deployments: child processes on this machine today, pods on
 * Kubernetes later, behind the same interface.
 */
public interface InstanceDriver extends AutoCloseable {

    /** Checks a service jar without constructing the service, and says what it offers. */
    ServiceDescriptor describe(Path jar, String className) throws InvalidServiceException;

    /** Starts an instance of the deployment and returns once it is ready. */
    RunningInstance start(Deployment deployment, String instanceId) throws InstanceStartException;

    /** Stops every instance this driver started. */
    @Override
    void close();
}
