package io.flowhost.server.access;

import io.flowhost.domain.access.Scope;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Which scope each management route needs: looking needs {@code read}, changing deployments, rollouts and tables
 * {@code deploy}, tokens and the audit trail {@code admin}; a table lookup none.
 */
public final class AccessRules {

    private final boolean openMetrics;

    /** @param openMetrics whether {@code /metrics} is open to anyone (a scraper on a private network) */
    public AccessRules(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    /**
     * The scope a request needs, or null for the routes anyone may use: the probes ({@code /healthz},
     * {@code /readyz}, {@code /v2/health/*}), a deployment's jar, which takes its deployment's own token, an
     * async request by its id, and a lookup in a table.
     */
    public Scope needed(HttpMethod method, String path) {
        if (openMetrics && path.equals("/metrics")) {
            return null;
        }
        if (path.equals("/healthz") || path.equals("/readyz") || path.startsWith("/v2/health/")) {
            return null;
        }
        if (path.startsWith("/v1/deployments/") && path.endsWith("/jar")) {
            return null;
        }
        // A docs page and its scripts hold nothing of a service's: the OpenAPI document they load is a read
        if (path.startsWith("/v1/docs/") || (path.startsWith("/v1/services/") && path.endsWith("/docs"))) {
            return null;
        }
        // The dashboard's pages and scripts hold no data: what they show they fetch from the API with the caller's
        // token
        if (path.equals("/ui") || path.startsWith("/ui/")) {
            return null;
        }
        if (path.equals("/v1/tokens") || path.startsWith("/v1/tokens/") || path.equals("/v1/audit")) {
            return Scope.ADMIN;
        }
        boolean looks = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        if (path.equals("/v1/deployments") || path.startsWith("/v1/deployments/") || path.startsWith("/v1/rollouts/")) {
            return looks ? Scope.READ : Scope.DEPLOY;
        }
        if (path.equals("/v1/tables") || path.startsWith("/v1/tables/")) {
            // A lookup is a read of precomputed predictions: open as calling a service that asks no token is.
            if (isTableLookup(method, path)) {
                return null;
            }
            return looks ? Scope.READ : Scope.DEPLOY;
        }
        // An async request's id is 128 random bits that only its caller was told: it is the caller's key to
        // the answer (and to cancelling it), as a calling needs no token unless its deployment asks for one.
        if (path.startsWith("/v1/requests/")) {
            return null;
        }
        return Scope.READ;
    }

    /**
     * {@code GET /v1/tables/{table}/{key}}, {@code POST /v1/tables/{table}/lookup}, or the pages of a published
     * version's rows.
     */
    private static boolean isTableLookup(HttpMethod method, String path) {
        if (!path.startsWith("/v1/tables/")) {
            return false;
        }
        var parts = path.substring("/v1/tables/".length()).split("/", -1);
        if (parts.length == 4 && parts[1].equals("versions") && parts[3].equals("rows")) {
            // a published version's rows, page by page: what the other gateways copy it from (lookups are open)
            return method.equals(HttpMethod.GET);
        }
        if (parts.length != 2 || parts[1].isEmpty()) {
            return false;
        }
        return method.equals(HttpMethod.GET)
                || method.equals(HttpMethod.HEAD)
                || (method.equals(HttpMethod.POST) && parts[1].equals("lookup"));
    }
}
