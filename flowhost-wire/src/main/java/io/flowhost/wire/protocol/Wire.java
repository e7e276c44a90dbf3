package io.flowhost.wire.protocol;

/** Names shared by the gateway and the instances on the wire between them. */
public final class Wire {

    /**
     * The name of the token a call to a deployment that asks for one came with, set by the gateway for the instance
     * (which never sees the token itself); a caller's own {@code X-Flowhost-*} headers are removed at the edge.
     */
    public static final String CALLER = "X-Flowhost-Caller";

    /**
     * What the deployment a call goes to is to its service while a version rolls out: {@code canary} or
     * {@code shadow} (absent for the primary), set by the gateway so that predictions are labelled with it.
     */
    public static final String VARIANT = "X-Flowhost-Variant";

    /** The header carrying a call's id from the gateway to the instance and back to the caller. */
    public static final String REQUEST_ID = "X-Request-Id";

    /** On the answer of a batched endpoint: how many calls its batch held (the gateway records it). */
    public static final String BATCH_SIZE = "X-Flowhost-Batch-Size";

    /** On the answer of a batched endpoint: microseconds the call waited for its batch to start. */
    public static final String BATCH_QUEUE = "X-Flowhost-Batch-Queue-Micros";

    /** The path prefix of endpoint calls, on the gateway and on an instance alike. */
    public static final String SERVICES_PREFIX = "/v1/services/";

    /** Liveness probe path: the process is up. */
    public static final String HEALTH = "/healthz";

    /** Readiness probe path: the service constructor has finished and calls are served. */
    public static final String READY = "/readyz";

    private Wire() {}
}
