package io.flowhost.state;

import io.flowhost.domain.deployment.Deployment;
import java.util.List;
import java.util.Optional;

/**
 * The deployments, with their settings and pinned runs, kept across restarts. Every implementation passes
 * {@code io.flowhost.state.contract.DeploymentStoreContract} (this module's test jar).
 */
public interface DeploymentStore {

    /** The next version number for a service: one more than any it had. */
    int nextVersion(String service);

    /** Records a deployment as the active one of its service, retiring the one it replaces, in one transaction. */
    void activate(Deployment deployment);

    /** Marks a deployment retired; it stops serving. */
    void retire(String id);

    /** One deployment by id. */
    Optional<Deployment> find(String id);

    /** Every deployment, newest first. */
    List<Deployment> all();

    /** The deployments that serve traffic, one per service. */
    List<Deployment> active();
}
