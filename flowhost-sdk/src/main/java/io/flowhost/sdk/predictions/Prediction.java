package io.flowhost.sdk.predictions;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One call an instance answered: what was asked, what was answered, and which model answered it.
 *
 * <p>The byte arrays are the bodies as they went over the wire (usually JSON) and are not copied:
 * a logger must not change them.
 *
 * @param deployment the deployment that answered, e.g. {@code iris-v3}
 * @param service the service's name, e.g. {@code iris}
 * @param endpoint the endpoint called, e.g. {@code predict}
 * @param metaflowRun the Metaflow run whose artifacts the deployment serves, e.g. {@code IrisFlow/1795691857254202},
 *                    or null when it reads none
 * @param request the request body, empty when the endpoint takes none
 * @param response the response body: the endpoint's answer, or the problem+json document of a rejection or
 *                 failure; empty when the endpoint returns nothing
 * @param status the HTTP status answered
 * @param latency the time inside the instance: reading the request, running the endpoint, writing its answer
 * @param time when the answer was ready
 * @param requestId the call's {@code X-Request-Id}
 * @param traceId the call's W3C trace id, or null when the call carried none
 * @param variant what the deployment was to its service when it answered: {@code primary}, {@code canary} or
 *                {@code shadow} (a version rolling out beside the primary)
 */
public record Prediction(
        String deployment,
        String service,
        String endpoint,
        String metaflowRun,
        byte[] request,
        byte[] response,
        int status,
        Duration latency,
        Instant time,
        String requestId,
        String traceId,
        String variant) {

    private static final byte[] EMPTY = new byte[0];

    /** A prediction of a service's primary version. */
    public Prediction(
            String deployment,
            String service,
            String endpoint,
            String metaflowRun,
            byte[] request,
            byte[] response,
            int status,
            Duration latency,
            Instant time,
            String requestId,
            String traceId) {
        this(
                deployment,
                service,
                endpoint,
                metaflowRun,
                request,
                response,
                status,
                latency,
                time,
                requestId,
                traceId,
                "primary");
    }

    /** Checks the fields every prediction has, and turns absent bodies into empty ones. */
    public Prediction {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(time, "time");
        request = request == null ? EMPTY : request;
        response = response == null ? EMPTY : response;
        variant = variant == null ? "primary" : variant;
    }

    /** Whether the call succeeded (a 2xx status): its response is the model's answer. */
    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
