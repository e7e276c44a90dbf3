package io.flowhost.domain.request;

import java.util.Objects;

/**
 * A call to {@code service/endpoint} that a caller wants run later, as the gateway received it.
 *
 * <p>The body is not copied: hand over an array that nobody changes afterwards.
 *
 * @param deploymentId   the deployment it was accepted for, e.g. {@code echo-v3}; it runs there
 * @param service        the service called
 * @param endpoint       the endpoint called
 * @param contentType    the request's content type, or null when it had none
 * @param body           the request body, empty when it had none
 * @param requestId      the caller's request id, kept for tracing ({@code X-Request-Id})
 * @param idempotencyKey the caller's {@code Idempotency-Key}, or null
 * @param callbackUrl    where to POST when it finishes, or null
 * @param trace          the trace it was accepted in, for its run to join; null when it was not traced
 */
public record NewRequest(
        String deploymentId,
        String service,
        String endpoint,
        String contentType,
        byte[] body,
        String requestId,
        String idempotencyKey,
        String callbackUrl,
        TraceContext trace) {

    /** A call accepted outside any trace. */
    public NewRequest(
            String deploymentId,
            String service,
            String endpoint,
            String contentType,
            byte[] body,
            String requestId,
            String idempotencyKey,
            String callbackUrl) {
        this(deploymentId, service, endpoint, contentType, body, requestId, idempotencyKey, callbackUrl, null);
    }

    /** Checks that what every request needs is there. */
    public NewRequest {
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(requestId, "requestId");
    }

    /**
     * What its idempotency key is bound to: a SHA-256 of its method, path, content type and body (hex), the same for
     * the same request sent again and different for any other.
     */
    public String fingerprint() {
        return Fingerprint.of(service, endpoint, contentType, body);
    }

    /** The call without its body bytes, which can be megabytes. */
    @Override
    public String toString() {
        return "NewRequest[" + deploymentId + " " + service + "/" + endpoint + ", " + body.length + " bytes"
                + (idempotencyKey == null ? "" : ", key " + idempotencyKey) + "]";
    }
}
