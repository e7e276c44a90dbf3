package io.flowhost.gateway.shadow;

import io.flowhost.domain.deployment.Deployment;

/**
 * A call answered by the primary and its copy answered by the shadow, compared.
 *
 * @param primary the deployment whose answer the caller got
 * @param shadow the deployment that got the copy
 * @param endpoint the endpoint called
 * @param requestId the caller's call's id (the copy carries it too)
 * @param request the request body, or null when too large to keep
 * @param primaryStatus the primary's status
 * @param primaryNanos how long the primary took
 * @param primaryBody the primary's body, or null when too large to keep
 * @param shadowStatus the shadow's status (502 when it gave no answer)
 * @param shadowNanos how long the shadow took
 * @param shadowBody the shadow's body, or null when too large to keep or there was none
 * @param difference why they disagree, or null when they agree
 */
public record ShadowPair(
        Deployment primary,
        Deployment shadow,
        String endpoint,
        String requestId,
        byte[] request,
        int primaryStatus,
        long primaryNanos,
        byte[] primaryBody,
        int shadowStatus,
        long shadowNanos,
        byte[] shadowBody,
        String difference) {

    /** Whether the two answers agree. */
    public boolean agreed() {
        return difference == null;
    }
}
