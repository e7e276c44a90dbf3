package io.flowhost.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.control.deploy.Deployments;
import io.flowhost.control.scaling.ScalingLoop;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.DeploymentFailedException;
import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.deployment.UnknownDeploymentException;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.gateway.ManagementRoutes;
import io.flowhost.gateway.RouteTable;
import io.flowhost.instances.process.ProcessDriver;
import io.flowhost.state.sqlite.RequestStore;
import io.flowhost.wire.netty.RequestIds;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.protocol.ProblemType;
import io.flowhost.wire.protocol.Wire;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The management API and the server's probes, answered on virtual threads: deploying runs a child
 * JVM and waits for it, which must never hold up an event loop. Domain exceptions become HTTP
 * statuses here and nowhere else.
 */
public final class ManagementApi implements ManagementRoutes, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.api");
    private static final String DEPLOYMENTS = "/v1/deployments";
    private static final String SERVICES = "/v1/services";
    private static final String STATUS = "/v1/status";

    private final Deployments deployments;
    private final ScalingLoop scaling;
    private final RequestsApi requests;
    private final Supplier<String> metrics;
    private final Supplier<JsonNode> alerts;
    private final RouteTable routes;
    private final ObjectMapper json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    public ManagementApi(
            Deployments deployments,
            ScalingLoop scaling,
            RouteTable routes,
            RequestStore requests,
            InstantSource clock,
            Supplier<String> metrics,
            Supplier<JsonNode> alerts) {
        this.metrics = metrics;
        this.alerts = alerts;
        this.requests = new RequestsApi(requests, clock);
        this.deployments = deployments;
        this.scaling = scaling;
        this.routes = routes;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest request, String requestId) {
        var method = request.method();
        var decoder = new QueryStringDecoder(request.uri());
        var contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        byte[] body = ByteBufUtil.getBytes(request.content());
        request.release();
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return route(method, decoder.path(), decoder.parameters(), contentType, body, requestId);
                    } catch (ApiProblem e) {
                        return problem(e.problem);
                    } catch (RuntimeException e) {
                        var errorId = RequestIds.next();
                        LOG.log(Level.ERROR, "management request failed (error id " + errorId + ")", e);
                        return problem(Problem.of(
                                        ProblemType.INTERNAL,
                                        "the server failed; its log has error id " + errorId,
                                        requestId)
                                .with("errorId", errorId));
                    }
                },
                workers);
    }

    private FullHttpResponse route(
            HttpMethod method,
            String path,
            Map<String, List<String>> query,
            String contentType,
            byte[] body,
            String requestId) {
        if (path.equals(Wire.HEALTH) || path.equals(Wire.READY)) {
            allow(method, path, requestId, HttpMethod.GET);
            return ok(Map.of("status", "up"), requestId);
        }
        if (path.equals("/v1/alerts")) {
            allow(method, path, requestId, HttpMethod.GET);
            return ok(alerts.get(), requestId);
        }
        if (path.equals("/metrics")) {
            allow(method, path, requestId, HttpMethod.GET);
            return Responses.response(
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    Unpooled.wrappedBuffer(metrics.get().getBytes(StandardCharsets.UTF_8)),
                    requestId);
        }
        if (path.equals("/v2/health/live") || path.equals("/v2/health/ready")) {
            // The Open Inference Protocol's server probes: the gateway is up; each model has its own /ready.
            allow(method, path, requestId, HttpMethod.GET);
            return ok(Map.of(path.endsWith("live") ? "live" : "ready", true), requestId);
        }
        if (RequestsApi.owns(path)) {
            return requests.handle(method, path, query, requestId);
        }
        if (path.equals(DEPLOYMENTS)) {
            allow(method, path, requestId, HttpMethod.GET, HttpMethod.POST);
            return method.equals(HttpMethod.POST)
                    ? deploy(query, contentType, body, requestId)
                    : listDeployments(requestId);
        }
        if (path.startsWith(DEPLOYMENTS + "/") && path.indexOf('/', DEPLOYMENTS.length() + 1) < 0) {
            allow(method, path, requestId, HttpMethod.GET, HttpMethod.DELETE);
            var id = path.substring(DEPLOYMENTS.length() + 1);
            return method.equals(HttpMethod.DELETE) ? undeploy(id, requestId) : deployment(id, requestId);
        }
        if (path.equals(STATUS) || (path.startsWith(STATUS + "/") && path.indexOf('/', STATUS.length() + 1) < 0)) {
            allow(method, path, requestId, HttpMethod.GET);
            return status(path.equals(STATUS) ? null : path.substring(STATUS.length() + 1), requestId);
        }
        if (path.equals(SERVICES)) {
            allow(method, path, requestId, HttpMethod.GET);
            return listServices(requestId);
        }
        if (path.startsWith(SERVICES + "/") && path.indexOf('/', SERVICES.length() + 1) < 0) {
            allow(method, path, requestId, HttpMethod.GET);
            return service(path.substring(SERVICES.length() + 1), requestId);
        }
        throw new ApiProblem(Problem.of(
                ProblemType.NOT_FOUND,
                "no route " + path + "; endpoints are called at " + Wire.SERVICES_PREFIX
                        + "{service}/{endpoint}, deployments managed at " + DEPLOYMENTS,
                requestId));
    }

    private FullHttpResponse deploy(Map<String, List<String>> query, String contentType, byte[] jar, String requestId) {
        if (contentType != null && contentType.startsWith("application/json")) {
            return deployModel(query, jar, requestId);
        }
        if (contentType != null
                && !contentType.startsWith("application/java-archive")
                && !contentType.startsWith("application/octet-stream")
                && !contentType.startsWith("application/zip")) {
            throw new ApiProblem(Problem.of(
                    ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "POST " + DEPLOYMENTS + " takes the "
                            + "service jar as the body with Content-Type: application/java-archive (or a model as "
                            + "application/json {\"onnx\": ..., \"name\": ...}), not " + contentType,
                    requestId));
        }
        if (jar.length == 0) {
            throw new ApiProblem(Problem.of(
                    ProblemType.BAD_REQUEST,
                    "the body is empty: send the service jar, e.g. "
                            + "curl --data-binary @service.jar -H 'Content-Type: application/java-archive' ...",
                    requestId));
        }
        var className = query.getOrDefault("class", List.of("")).getFirst();
        var scalingSettings = scaling(query, requestId);
        var settings = new LinkedHashMap<String, String>();
        for (var pair : query.getOrDefault("set", List.of())) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new ApiProblem(
                        Problem.of(ProblemType.BAD_REQUEST, "set=" + pair + " (expected: set=key=value)", requestId));
            }
            settings.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        predictionSampleRate(query, settings, requestId);
        try {
            return created(deployments.deploy(jar, className, settings, scalingSettings), requestId);
        } catch (DeploymentFailedException e) {
            throw new ApiProblem(Problem.of(ProblemType.INVALID_SERVICE, e.getMessage(), requestId));
        } catch (InvalidSettingsException e) {
            throw new ApiProblem(Problem.of(ProblemType.INVALID_SETTINGS, e.getMessage(), requestId));
        }
    }

    /** A deploy's {@code ?prediction-sample-rate=}, checked, into the deployment's settings. */
    private static void predictionSampleRate(
            Map<String, List<String>> query, Map<String, String> settings, String requestId) {
        for (var rate : query.getOrDefault("prediction-sample-rate", List.of())) {
            double value;
            try {
                value = Double.parseDouble(rate);
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (!(value >= 0 && value <= 1)) {
                throw new ApiProblem(Problem.of(
                        ProblemType.INVALID_SETTINGS,
                        "prediction-sample-rate: " + rate
                                + " (expected: 0..1, the share of calls whose predictions are logged)",
                        requestId));
            }
            settings.put(ProcessDriver.PREDICTION_SAMPLE_RATE, Double.toString(value));
        }
    }

    /** The scaling keys of a deploy's query ({@code ?min-instances=1&idle-timeout=10m}); any other key is a mistake. */
    private static Map<String, String> scaling(Map<String, List<String>> query, String requestId) {
        var out = new LinkedHashMap<String, String>();
        for (var entry : query.entrySet()) {
            var key = entry.getKey();
            if (key.equals("class") || key.equals("set") || key.equals("prediction-sample-rate")) {
                continue;
            }
            if (!ScalingSettings.KEYS.contains(key) && !Retention.KEYS.contains(key)) {
                throw new ApiProblem(Problem.of(
                        ProblemType.INVALID_SETTINGS,
                        "unknown deploy parameter '" + key
                                + "'; expected class, set=key=value, a scaling setting " + ScalingSettings.KEYS
                                + " or an async retention setting " + Retention.KEYS,
                        requestId));
            }
            out.put(key, entry.getValue().getLast());
        }
        return out;
    }

    /**
     * {@code {"onnx": "metaflow://IrisFlow/latest/end/model_onnx", "name": "iris-onnx"}}: a model served with no code;
     * the query may set {@code prediction-sample-rate}, as for a jar.
     */
    private FullHttpResponse deployModel(Map<String, List<String>> query, byte[] body, String requestId) {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (IOException e) {
            throw new ApiProblem(
                    Problem.of(ProblemType.MALFORMED_JSON, "the body is not valid JSON: " + e.getMessage(), requestId));
        }
        if (request == null
                || !request.path("onnx").isTextual()
                || !request.path("name").isTextual()) {
            throw new ApiProblem(Problem.of(
                    ProblemType.BAD_REQUEST,
                    "a model deployment needs {\"onnx\": "
                            + "\"<reference>\", \"name\": \"<name>\"}, e.g. {\"onnx\": \"metaflow://IrisFlow/latest/end/"
                            + "model_onnx\", \"name\": \"iris-onnx\"}",
                    requestId));
        }
        var scalingSettings = new LinkedHashMap<String, String>();
        request.path("scaling")
                .fields()
                .forEachRemaining(
                        e -> scalingSettings.put(e.getKey(), e.getValue().asText()));
        var settings = new LinkedHashMap<String, String>();
        predictionSampleRate(query, settings, requestId);
        try {
            return created(
                    deployments.deployOnnx(
                            request.get("onnx").asText(), request.get("name").asText(), scalingSettings, settings),
                    requestId);
        } catch (DeploymentFailedException e) {
            throw new ApiProblem(Problem.of(ProblemType.INVALID_SERVICE, e.getMessage(), requestId));
        } catch (InvalidSettingsException e) {
            throw new ApiProblem(Problem.of(ProblemType.INVALID_SETTINGS, e.getMessage(), requestId));
        }
    }

    private FullHttpResponse created(Deployment deployment, String requestId) {
        var response = json(201, Views.DeploymentView.of(deployment, deployments.instances()), requestId);
        response.headers().set(HttpHeaderNames.LOCATION, DEPLOYMENTS + "/" + deployment.id());
        return response;
    }

    private FullHttpResponse listDeployments(String requestId) {
        var instances = deployments.instances();
        return ok(
                new Views.Deployments(deployments.all().stream()
                        .map(d -> Views.DeploymentView.of(d, instances))
                        .toList()),
                requestId);
    }

    private FullHttpResponse deployment(String id, String requestId) {
        try {
            return ok(Views.DeploymentView.of(deployments.find(id), deployments.instances()), requestId);
        } catch (UnknownDeploymentException e) {
            throw new ApiProblem(Problem.of(ProblemType.NOT_FOUND, e.getMessage(), requestId));
        }
    }

    private FullHttpResponse undeploy(String id, String requestId) {
        try {
            return ok(Views.DeploymentView.of(deployments.undeploy(id), List.of()), requestId);
        } catch (UnknownDeploymentException e) {
            throw new ApiProblem(Problem.of(ProblemType.NOT_FOUND, e.getMessage(), requestId));
        }
    }

    private FullHttpResponse listServices(String requestId) {
        var instances = deployments.instances();
        return ok(
                new Views.Services(deployments.active().stream()
                        .map(d -> Views.ServiceView.of(d, instances))
                        .toList()),
                requestId);
    }

    private FullHttpResponse service(String name, String requestId) {
        var instances = deployments.instances();
        return deployments.active().stream()
                .filter(d -> d.service().equals(name))
                .findFirst()
                .map(d -> ok(Views.ServiceView.of(d, instances), requestId))
                .orElseThrow(() -> new ApiProblem(Problem.of(
                        ProblemType.UNKNOWN_SERVICE,
                        "no service '" + name + "' is deployed; GET " + SERVICES + " lists the services",
                        requestId)));
    }

    /** Every active deployment (or one service's) with its instances, held calls and last scaling decision. */
    private FullHttpResponse status(String service, String requestId) {
        var instances = deployments.instances();
        var views = deployments.active().stream()
                .filter(d -> service == null || d.service().equals(service))
                .map(d -> Views.StatusView.of(
                        d,
                        instances,
                        routes.traffic(d.id()).orElse(null),
                        scaling.lastDecision(d.id()).orElse(null)))
                .toList();
        if (service != null && views.isEmpty()) {
            throw new ApiProblem(Problem.of(
                    ProblemType.UNKNOWN_SERVICE,
                    "no service '" + service + "' is deployed; GET " + SERVICES + " lists the services",
                    requestId));
        }
        return ok(Map.of("services", views), requestId);
    }

    static void allow(HttpMethod method, String path, String requestId, HttpMethod... allowed) {
        for (var m : allowed) {
            if (m.equals(method)) {
                return;
            }
        }
        var names = Arrays.stream(allowed).map(HttpMethod::name).toList();
        throw new ApiProblem(
                Problem.of(ProblemType.METHOD_NOT_ALLOWED, path + " takes " + names + ", not " + method, requestId)
                        .with("allow", String.join(", ", names)));
    }

    private FullHttpResponse ok(Object view, String requestId) {
        return json(200, view, requestId);
    }

    private FullHttpResponse json(int status, Object view, String requestId) {
        try {
            return Responses.response(
                    status, Responses.JSON, Unpooled.wrappedBuffer(json.writeValueAsBytes(view)), requestId);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + view.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static FullHttpResponse problem(Problem problem) {
        var response = Responses.response(
                problem.status(),
                Responses.PROBLEM_JSON,
                Unpooled.wrappedBuffer(problem.toJson()),
                problem.requestId());
        if (problem.status() == 405) {
            response.headers().set(HttpHeaderNames.ALLOW, problem.extensions().get("allow"));
        }
        return response;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /** A problem to answer with, thrown from deep in a route. */
    static final class ApiProblem extends RuntimeException {
        private final Problem problem;

        ApiProblem(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }
    }
}
