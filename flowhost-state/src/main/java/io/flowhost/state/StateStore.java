package io.flowhost.state;

/**
 * Everything the platform keeps: deployments and their pins, the async queue with its results and idempotency
 * keys, and alert states. One machine keeps them in SQLite files under its data dir; several gateways will share
 * them in PostgreSQL, behind the same interfaces.
 */
public interface StateStore extends AutoCloseable {

    DeploymentStore deployments();

    RequestStore requests();

    AlertStateStore alerts();

    /** Commits what is pending and closes every store. */
    @Override
    void close();
}
