package io.flowhost.state;

/**
 * Everything the platform keeps: deployments and their pins, the async queue with its results and idempotency
 * keys, alert states, and which server leads. One machine keeps them in SQLite files under its data dir; several gateways will share
 * them in PostgreSQL, behind the same interfaces.
 */
public interface StateStore extends AutoCloseable {

    DeploymentStore deployments();

    RequestStore requests();

    AlertStateStore alerts();

    /** The management API's tokens. */
    TokenStore tokens();

    /** The audit trail of management actions and refused attempts. */
    AuditStore audit();

    /** The tables of precomputed predictions and their versions. */
    TableStore tables();

    /** Which server runs the control loops of this state. */
    Leadership leadership();

    /** What the gateways sharing this state tell each other. */
    Cluster cluster();

    /** Commits what is pending and closes every store. */
    @Override
    void close();
}
