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

    /**
     * Records a deployment as active, retiring what it replaces in one transaction: a primary replaces its service's
     * other active versions, a canary or shadow only the canary or shadow before it (the primary stays).
     */
    void activate(Deployment deployment);

    /**
     * Records how a deployment's state and rollout changed; one that is now its service's active primary (a promoted
     * canary) retires the others in the same transaction.
     */
    void update(Deployment deployment);

    /** Marks a deployment retired; it stops serving. */
    void retire(String id);

    /** One deployment by id. */
    Optional<Deployment> find(String id);

    /** Every deployment, newest first. */
    List<Deployment> all();

    /** The deployments that serve traffic: per service its primary, and a canary or shadow while one rolls out. */
    List<Deployment> active();
}
