package io.flowhost.instances;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.service.ServiceDescriptor;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Starts and checks instances of deployments: child processes on this machine today, pods on
 * Kubernetes later, behind the same interface.
 */
public interface InstanceDriver extends AutoCloseable {

    /**
     * Checks a service jar without constructing the service, and says what it offers. The driver may keep what it
     * checked the jar with (a JVM with the service loaded) to start the first instance of its deployment from, until
     * told the deploy is {@link #settled}.
     */
    ServiceDescriptor describe(Path jar, String className) throws InvalidServiceException;

    /**
     * The deploy of this jar is over (its first instance started, or the deploy refused): what the driver kept from
     * checking it is no longer needed.
     */
    default void settled(Path jar) {}

    /** Starts an instance of the deployment and returns once it is ready. */
    RunningInstance start(Deployment deployment, String instanceId) throws InstanceStartException;

    /**
     * This gateway leads from now on, in {@code term}: what the driver starts is the leader's of that term, and
     * what the leader of an earlier term left running is stopped. Child processes end with the gateway that started
     * them, so by default there is nothing to do.
     */
    default void lead(long term) {}

    /**
     * Where every deployment's ready instances are, as this gateway can see for itself; empty when only the
     * leader knows them (child processes), and followers read the sets it publishes in the shared state.
     */
    default Optional<InstanceDiscovery> discovery() {
        return Optional.empty();
    }

    /** Stops every instance this driver started. */
    @Override
    void close();
}
