package io.flowhost.server.audit;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/** Which management requests are actions for the audit trail, and what each acts on. */
public final class ManagementActions {

    private static final String DEPLOYMENTS = "/v1/deployments";
    private static final String TOKENS = "/v1/tokens";
    private static final String ROLLOUTS = "/v1/rollouts/";
    private static final List<String> ROLLOUT_STEPS = List.of("start", "pause", "promote", "rollback");
    private static final String TABLES = "/v1/tables/";

    private ManagementActions() {}

    /**
     * {@code deploy}, {@code undeploy}, {@code token.create}, {@code token.revoke}, {@code rollout.<step>} or
     * {@code table.<step>} (load, begin, publish, abandon, rollback, drop: what changes what lookups read, not each batch of
     * rows); null for anything else.
     */
    public static String action(HttpMethod method, String path) {
        var step = rolloutStep(path);
        if (method.equals(HttpMethod.POST) && step != null) {
            return "rollout." + step;
        }
        var table = tableStep(method, path);
        if (table != null) {
            return "table." + table;
        }
        if (method.equals(HttpMethod.POST)) {
            return path.equals(DEPLOYMENTS) ? "deploy" : path.equals(TOKENS) ? "token.create" : null;
        }
        if (method.equals(HttpMethod.DELETE)) {
            return below(path, DEPLOYMENTS) ? "undeploy" : below(path, TOKENS) ? "token.revoke" : null;
        }
        return null;
    }

    /** What a request acts on as its path names it: the deployment, token, service or table, else the path. */
    public static String target(String path) {
        if (path.startsWith(TABLES) && path.length() > TABLES.length()) {
            int slash = path.indexOf('/', TABLES.length());
            return slash < 0 ? path.substring(TABLES.length()) : path.substring(TABLES.length(), slash);
        }
        if (rolloutStep(path) != null) {
            return path.substring(ROLLOUTS.length(), path.lastIndexOf('/'));
        }
        if (below(path, DEPLOYMENTS)) {
            return path.substring(DEPLOYMENTS.length() + 1);
        }
        if (below(path, TOKENS)) {
            return path.substring(TOKENS.length() + 1);
        }
        return path;
    }

    /** The step of {@code /v1/rollouts/{service}/{step}}, or null for any other path. */
    private static String rolloutStep(String path) {
        if (!path.startsWith(ROLLOUTS)) {
            return null;
        }
        int slash = path.indexOf('/', ROLLOUTS.length());
        if (slash <= ROLLOUTS.length() || path.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        var step = path.substring(slash + 1);
        return ROLLOUT_STEPS.contains(step) ? step : null;
    }

    /** {@code load}, {@code begin}, {@code publish}, {@code abandon}, {@code rollback} or {@code drop}; else null. */
    private static String tableStep(HttpMethod method, String path) {
        if (!path.startsWith(TABLES)) {
            return null;
        }
        var parts = path.substring(TABLES.length()).split("/", -1);
        if (method.equals(HttpMethod.DELETE)) {
            return parts.length == 1 ? "drop" : parts.length == 3 && parts[1].equals("versions") ? "abandon" : null;
        }
        if (!method.equals(HttpMethod.POST)) {
            return null;
        }
        if (parts.length == 2) {
            return switch (parts[1]) {
                case "load", "rollback" -> parts[1];
                case "versions" -> "begin";
                default -> null;
            };
        }
        return parts.length == 4 && parts[1].equals("versions") && parts[3].equals("publish") ? "publish" : null;
    }

    private static boolean below(String path, String prefix) {
        return path.length() > prefix.length() + 1
                && path.startsWith(prefix + "/")
                && path.indexOf('/', prefix.length() + 1) < 0;
    }
}
