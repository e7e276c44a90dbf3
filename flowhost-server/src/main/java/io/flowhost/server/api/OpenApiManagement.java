package io.flowhost.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The management API in the server's OpenAPI document: each route with what it does and who may call it. Its answers
 * are JSON (their shapes in the README's API section); every route answers its mistakes as problem+json.
 */
final class OpenApiManagement {

    /** One route: its method, path, what it does, and the token scope it needs when tokens are on (null: none). */
    private record Route(String method, String path, String summary, String scope) {
        /** What it answers with. */
        String mediaType() {
            return path.endsWith("/docs") || path.startsWith("/ui")
                    ? "text/html"
                    : path.equals("/metrics") ? "text/plain" : "application/json";
        }
    }

    private static final List<Route> ROUTES = List.of(
            new Route("get", "/v1/deployments", "Lists deployments, their instances and scaling", "read"),
            new Route(
                    "post",
                    "/v1/deployments",
                    "Deploys a service jar (the body; ?class=, ?set=key=value, scaling"
                            + " settings) or, with a JSON body, an ONNX model; answers once its first instance is ready",
                    "deploy"),
            new Route("get", "/v1/deployments/{id}", "One deployment", "read"),
            new Route(
                    "delete", "/v1/deployments/{id}", "Undeploys: its instances stop, its queued calls fail", "deploy"),
            new Route("get", "/v1/status", "Every service: instances, calls in flight, held, queued", "read"),
            new Route("get", "/v1/status/{service}", "One service's status", "read"),
            new Route("get", "/v1/services", "Every service and its endpoints", "read"),
            new Route(
                    "get", "/v1/services/{service}", "One service's endpoints, with their types and examples", "read"),
            new Route("get", "/v1/services/{service}/openapi.json", "This document, for one service", "read"),
            new Route("get", "/v1/openapi.json", "This document", "read"),
            new Route("get", "/v1/services/{service}/docs", "A service's docs page: try its endpoints", null),
            new Route("get", "/v1/rollouts/{service}", "A service's rollout: canary or shadow, its steps", "read"),
            new Route("post", "/v1/rollouts/{service}/promote", "Promotes the canary", "deploy"),
            new Route("post", "/v1/rollouts/{service}/rollback", "Rolls the canary or shadow back", "deploy"),
            new Route("get", "/v1/tables", "Precomputed tables and their versions", "read"),
            new Route("get", "/v1/tables/{table}/{key}", "One key's precomputed value", null),
            new Route("get", "/v1/alerts", "Alert rules: firing, pending and resolved, with values", "read"),
            new Route(
                    "get",
                    "/v1/history",
                    "Every deployment's calls a second over the last hour on this gateway, and its newest point",
                    "read"),
            new Route(
                    "get",
                    "/v1/history/{deployment}",
                    "A deployment's last hour (every 10 s by default) as columns: calls a second, error rate, p50,"
                            + " p99, instances, held calls, async queued and running; with its scaling decisions and"
                            + " cold starts",
                    "read"),
            new Route(
                    "get",
                    "/v1/log",
                    "The request log's last lines on this gateway, newest first: ?service=, ?status=5xx,"
                            + " ?since=15m, ?after=SEQ to follow, ?limit=",
                    "read"),
            new Route("get", "/v1/whoami", "Who the caller is and whether it may deploy or administer", "read"),
            new Route("get", "/ui", "The dashboard (its pages ask the API with the caller's token)", null),
            new Route("get", "/v1/tokens", "API tokens (not their secrets)", "admin"),
            new Route("post", "/v1/tokens", "Makes an API token", "admin"),
            new Route("get", "/v1/audit", "Who changed what, and when", "admin"),
            new Route("get", "/metrics", "Prometheus metrics", "read"),
            new Route("get", "/healthz", "Whether the server is up", null),
            new Route("get", "/readyz", "Whether this gateway takes calls", null));

    private static final Pattern PARAMETER = Pattern.compile("\\{([a-z]+)}");

    private OpenApiManagement() {}

    static void add(ObjectNode paths) {
        for (var route : ROUTES) {
            var path = paths.has(route.path()) ? (ObjectNode) paths.get(route.path()) : paths.putObject(route.path());
            var op = path.putObject(route.method());
            op.put("operationId", "management." + route.method() + route.path().replaceAll("[^A-Za-z0-9]+", "."));
            op.put("summary", route.summary());
            op.put(
                    "description",
                    route.scope() == null
                            ? "Open to all."
                            : "Needs a token with the '" + route.scope() + "' scope when tokens are on.");
            op.putArray("tags").add("management");
            for (var name : parameters(route.path())) {
                op.withArray("parameters")
                        .addObject()
                        .put("name", name)
                        .put("in", "path")
                        .put("required", true)
                        .putObject("schema")
                        .put("type", "string");
            }
            var responses = op.putObject("responses");
            responses
                    .putObject("200")
                    .put("description", "Done")
                    .putObject("content")
                    .putObject(route.mediaType());
            for (var status : new String[] {"400", "401", "403", "404"}) {
                responses.putObject(status).put("$ref", "#/components/responses/Problem" + status);
            }
        }
    }

    private static List<String> parameters(String path) {
        return PARAMETER.matcher(path).results().map(m -> m.group(1)).toList();
    }
}
