package io.flowhost.gateway.observe;

import java.time.Instant;

/**
 * What the gateway knows of one endpoint call once it is answered: who called what, how it went,
 * and where its time went. Filled in along the call's way (one thread at a time), then handed to
 * the request log and the metrics.
 */
public final class CallRecord {

    final long startNanos = System.nanoTime();
    final Instant time = Instant.now();
    String requestId;
    String traceId;
    String service;
    String deployment;
    String variant;
    String run;
    String endpoint;
    String mode = "sync";
    int status;
    long bytesIn;
    long bytesOut;
    long heldNanos;
    boolean coldStart;
    String instance;
    long instanceStartNanos;
    long instanceNanos = -1;
    long queuedMillis = -1;
    long totalNanos;
    boolean known;
    int batchSize;
    long batchQueueMicros = -1;

    /**
     * Who was called: the service, its deployment and what that is to the service ({@code primary}, {@code canary}),
     * the Metaflow run it serves, the endpoint.
     */
    public void target(String service, String deployment, String variant, String run, String endpoint) {
        this.service = service;
        this.deployment = deployment;
        this.variant = variant;
        this.run = run;
        this.endpoint = endpoint;
    }

    /** A batched endpoint's call: how many calls its batch held, and how long it waited for it to start. */
    public void batch(int size, long queueMicros) {
        this.batchSize = size;
        this.batchQueueMicros = queueMicros;
    }

    /** How many calls the batch of this call held, or 0 when its endpoint is not batched. */
    public int batchSize() {
        return batchSize;
    }

    /** Microseconds this call waited for its batch to start, or -1 when its endpoint is not batched. */
    public long batchQueueMicros() {
        return batchQueueMicros;
    }

    /** The call's id, and its trace id when traced. */
    public void ids(String requestId, String traceId) {
        this.requestId = requestId;
        this.traceId = traceId;
    }

    /** The service and endpoint exist: their names may label metrics (a made-up name must not, or labels grow without end). */
    public void known() {
        this.known = true;
    }

    /** The service name to label metrics with: {@code unknown} for calls to no known endpoint. */
    public String metricService() {
        return known ? service : "unknown";
    }

    /** The deployment to label metrics with: {@code unknown} for calls to no known endpoint. */
    public String metricDeployment() {
        return known ? deployment : "unknown";
    }

    /** The variant to label metrics with: empty for calls to no known endpoint. */
    public String metricVariant() {
        return known ? variant : "";
    }

    /** The deployment's variant, or null when the call reached none. */
    public String variant() {
        return variant;
    }

    /** The endpoint name to label metrics with. */
    public String metricEndpoint() {
        return known ? endpoint : "unknown";
    }

    /** {@code sync}, {@code async} (the 202 of a queued call) or {@code async-run} (the queued call being run). */
    public void mode(String mode) {
        this.mode = mode;
    }

    /** How long the async request waited in the queue before this run. */
    public void queued(long millis) {
        this.queuedMillis = millis;
    }

    /** Body bytes received. */
    public void bytesIn(long bytes) {
        this.bytesIn = bytes;
    }

    /** The call waited this long in the gateway; {@code coldStart} when it waited for an instance to start. */
    public void held(long nanos, boolean coldStart) {
        this.heldNanos += nanos;
        this.coldStart |= coldStart;
    }

    /** The call went to this instance now. */
    public void sentTo(String instanceId) {
        this.instance = instanceId;
        this.instanceStartNanos = System.nanoTime();
    }

    /** The instance answered now. */
    public void instanceAnswered() {
        if (instanceStartNanos != 0) {
            instanceNanos = System.nanoTime() - instanceStartNanos;
        }
    }

    /** The answer went out now, with this status and body size. */
    public void answered(int status, long bytesOut) {
        this.status = status;
        this.bytesOut = bytesOut;
        this.totalNanos = System.nanoTime() - startNanos;
    }

    public String service() {
        return service;
    }

    public String endpoint() {
        return endpoint;
    }

    public int status() {
        return status;
    }

    public long totalNanos() {
        return totalNanos;
    }

    public boolean coldStart() {
        return coldStart;
    }

    public String mode() {
        return mode;
    }

    /** When the call arrived. */
    public Instant time() {
        return time;
    }

    public String requestId() {
        return requestId;
    }

    /** The trace id, or null. */
    public String traceId() {
        return traceId;
    }

    /** The deployment that served it, or null when it reached none. */
    public String deployment() {
        return deployment;
    }

    /** The Metaflow run the deployment serves, {@code Flow/run}, or null. */
    public String run() {
        return run;
    }

    /** Time held in the gateway. */
    public long heldNanos() {
        return heldNanos;
    }

    /** Time an async run waited in the queue, or -1. */
    public long queuedMillis() {
        return queuedMillis;
    }

    /** The instance's own time, or -1 when no instance answered. */
    public long instanceNanos() {
        return instanceNanos;
    }

    /** The instance that answered, or null. */
    public String instance() {
        return instance;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }
}
