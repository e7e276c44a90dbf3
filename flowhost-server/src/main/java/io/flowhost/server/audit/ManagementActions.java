package io.flowhost.server.audit;

import io.netty.handler.codec.http.HttpMethod;

/** Which management requests are actions for the audit trail, and what each acts on. */
public final class ManagementActions {

    private static final String DEPLOYMENTS = "/v1/deployments";
    private static final String TOKENS = "/v1/tokens";

    private ManagementActions() {}

    /** {@code deploy}, {@code undeploy}, {@code token.create} or {@code token.revoke}; null for anything else. */
    public static String action(HttpMethod method, String path) {
        if (method.equals(HttpMethod.POST)) {
            return path.equals(DEPLOYMENTS) ? "deploy" : path.equals(TOKENS) ? "token.create" : null;
        }
        if (method.equals(HttpMethod.DELETE)) {
            return below(path, DEPLOYMENTS) ? "undeploy" : below(path, TOKENS) ? "token.revoke" : null;
        }
        return null;
    }

    /** What a request acts on as its path names it: the deployment or token one level below, else the path. */
    public static String target(String path) {
        if (below(path, DEPLOYMENTS)) {
            return path.substring(DEPLOYMENTS.length() + 1);
        }
        if (below(path, TOKENS)) {
            return path.substring(TOKENS.length() + 1);
        }
        return path;
    }

    private static boolean below(String path, String prefix) {
        return path.length() > prefix.length() + 1
                && path.startsWith(prefix + "/")
                && path.indexOf('/', prefix.length() + 1) < 0;
    }
}
