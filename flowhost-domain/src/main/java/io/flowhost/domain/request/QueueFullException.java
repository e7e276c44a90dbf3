package io.flowhost.domain.request;

/** A deployment already holds as many queued requests as its {@code max-queued} allows; try again later. */
public final class QueueFullException extends RuntimeException {

    private final String deploymentId;
    private final int limit;

    /** A refusal naming the deployment and its limit. */
    public QueueFullException(String deploymentId, int limit) {
        super(deploymentId + " has " + limit + " requests queued already (max-queued: " + limit + ")");
        this.deploymentId = deploymentId;
        this.limit = limit;
    }

    /** The deployment whose queue is full. */
    public String deploymentId() {
        return deploymentId;
    }

    /** Its {@code max-queued}. */
    public int limit() {
        return limit;
    }
}
