package io.flowhost.server.audit;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;

/** Which management requests are actions for the audit trail, and what each acts on. */
public final class ManagementActions {

    private static final String DEPLOYMENTS = "/v1/deployments";
    private static final String TOKENS = "/v1/tokens";
    private static final String ROLLOUTS = "/v1/rollouts/";
    private static final List<String> ROLLOUT_STEPS = List.of("start", "pause", "promote", "rollback");

    private ManagementActions() {}

    /**
     * {@code deploy}, {@code undeploy}, {@code token.create}, {@code token.revoke} or {@code rollout.<step>}; null for
     * anything else.
     */
    public static String action(HttpMethod method, String path) {
        var step = rolloutStep(path);
        if (method.equals(HttpMethod.POST) && step != null) {
            return "rollout." + step;
        }
        if (method.equals(HttpMethod.POST)) {
            return path.equals(DEPLOYMENTS) ? "deploy" : path.equals(TOKENS) ? "token.create" : null;
        }
        if (method.equals(HttpMethod.DELETE)) {
            return below(path, DEPLOYMENTS) ? "undeploy" : below(path, TOKENS) ? "token.revoke" : null;
        }
        return null;
    }

    /** What a request acts on as its path names it: the deployment, token or service one level below, else the path. */
    public static String target(String path) {
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

    private static boolean below(String path, String prefix) {
        return path.length() > prefix.length() + 1
                && path.startsWith(prefix + "/")
                && path.indexOf('/', prefix.length() + 1) < 0;
    }
}
