package io.flowhost.server.api;

import static io.flowhost.server.api.JsonResponses.json;
import static io.flowhost.server.api.JsonResponses.ok;
import static io.flowhost.server.api.Routes.allow;
import static io.flowhost.server.api.Routes.oneBelow;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowhost.control.deploy.DeploymentTokens;
import io.flowhost.control.deploy.Deployments;
import io.flowhost.control.scaling.ScalingLoop;
import io.flowhost.domain.audit.AuditEvent;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.instance.NotReadyException;
import io.flowhost.domain.rollout.Variant;
import io.flowhost.domain.service.UnknownServiceException;
import io.flowhost.gateway.RouteTable;
import io.flowhost.server.access.AccessRules;
import io.flowhost.server.access.Addresses;
import io.flowhost.server.access.Guard;
import io.flowhost.server.audit.AuditTrail;
import io.flowhost.server.audit.ManagementActions;
import io.flowhost.server.http.ManagementRoutes;
import io.flowhost.server.observe.ColdStarts;
import io.flowhost.server.observe.History;
import io.flowhost.server.observe.RecentCalls;
import io.flowhost.state.Leadership.Term;
import io.flowhost.state.RequestStore;
import io.flowhost.state.TokenStore;
import io.flowhost.wire.netty.FileResponse;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.netty.Upload;
import io.flowhost.wire.protocol.ForbiddenException;
import io.flowhost.wire.protocol.NoRouteException;
import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.RequestIds;
import io.flowhost.wire.protocol.UnauthorizedException;
import io.flowhost.wire.protocol.Wire;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The management API and the server's probes, answered on virtual threads: deploying runs a child JVM and
 * waits for it, which must never hold up an event loop. A route that cannot answer throws the domain's
 * exception; the edge turns it into its problem.
 */
public final class ManagementApi implements ManagementRoutes, AutoCloseable {

    private static final String DEPLOYMENTS = "/v1/deployments";
    private static final String SERVICES = "/v1/services";
    private static final String STATUS = "/v1/status";
    private static final String JAR = "/jar";

    private final Deployments deployments;
    private final ScalingLoop scaling;
    private final RequestsApi requests;
    private final Supplier<String> metrics;
    private final Supplier<JsonNode> alerts;
    private final RouteTable routes;
    private final ModelMetadata modelMetadata;
    private final History history;
    private final ColdStarts coldStarts;
    private final DashboardApi dashboard;
    private final Supplier<Optional<Term>> leader;
    private final ToLeader toLeader;
    private final BooleanSupplier ready;
    private final DeploymentTokens deploymentTokens;
    private final Guard guard;
    private final AccessRules access;
    private final TokensApi apiTokens;
    private final InstantSource clock;
    private final Consumer<AuditEvent> audit;
    private final AuditApi auditApi;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    private final RolloutsApi rollouts;
    private final TablesApi tables;

    public ManagementApi(
            Deployments deployments,
            ScalingLoop scaling,
            RouteTable routes,
            RequestStore requests,
            InstantSource clock,
            Supplier<String> metrics,
            Supplier<JsonNode> alerts,
            Supplier<Optional<Term>> leader,
            ToLeader toLeader,
            BooleanSupplier ready,
            DeploymentTokens deploymentTokens,
            Guard guard,
            AccessRules access,
            TokenStore apiTokens,
            AuditTrail audit,
            RolloutsApi rollouts,
            TablesApi tables,
            History history,
            ColdStarts coldStarts,
            RecentCalls recentCalls) {
        this.history = history;
        this.coldStarts = coldStarts;
        this.dashboard = new DashboardApi(recentCalls, guard, clock);
        this.rollouts = rollouts;
        this.tables = tables;
        this.clock = clock;
        this.audit = audit::record;
        this.auditApi = new AuditApi(audit, clock);
        this.deploymentTokens = deploymentTokens;
        this.guard = guard;
        this.access = access;
        this.apiTokens = new TokensApi(apiTokens, guard::forget, clock);
        this.toLeader = toLeader;
        this.ready = ready;
        this.metrics = metrics;
        this.leader = leader;
        this.alerts = alerts;
        this.requests = new RequestsApi(requests, clock);
        this.deployments = deployments;
        this.scaling = scaling;
        this.routes = routes;
        this.modelMetadata = new ModelMetadata(routes);
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest request, String requestId, SocketAddress source) {
        var method = request.method();
        var decoder = new QueryStringDecoder(request.uri());
        var contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        var authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        var forwardedFor = Addresses.forwardedFor(request.headers().get("Forwarded"));
        var upload = Upload.take(request); // a jar posted to deploy, written to a file as it came; else null
        byte[] body = ByteBufUtil.getBytes(request.content());
        request.release();
        var uri = request.uri();
        var answer = new CompletableFuture<FullHttpResponse>();
        workers.execute(() -> {
            String actor = null;
            FullHttpResponse response;
            try {
                actor = guard.check(authorization, access.needed(method, decoder.path()));
                response = isJar(decoder.path())
                        ? jar(method, decoder.path(), authorization)
                        : TablesApi.owns(decoder.path())
                                // every gateway answers for its own copy of the tables; a key may hold an encoded '/'
                                ? tables.handle(method, rawPath(uri), decoder.parameters(), body, actor, requestId)
                                : onlyTheLeaderKnows(decoder.path()) && !toLeader.leads()
                                        ? toLeader.forward(
                                                method,
                                                uri,
                                                contentType,
                                                authorization,
                                                body,
                                                upload,
                                                requestId,
                                                Addresses.host(source))
                                        : route(
                                                method,
                                                decoder.path(),
                                                decoder.parameters(),
                                                contentType,
                                                authorization,
                                                body,
                                                upload,
                                                actor,
                                                requestId);
            } catch (Throwable e) {
                response = Responses.problem(Problems.of(e, requestId));
                if (e instanceof ForbiddenException forbidden) {
                    actor = forbidden.actor();
                }
            } finally {
                Upload.delete(upload); // kept under the data dir by now, if it was deployed
            }
            if (!ToLeader.fromLeader(response)) { // the leader audited what it answered
                audit(method, decoder.path(), body, actor, Addresses.audited(source, forwardedFor), response);
            }
            answer.complete(response);
        });
        return answer;
    }

    @Override
    public CompletionStage<?> admitUpload(HttpRequest head, SocketAddress source) {
        var method = head.method();
        var path = new QueryStringDecoder(head.uri()).path();
        var authorization = head.headers().get(HttpHeaderNames.AUTHORIZATION);
        var forwardedFor = Addresses.forwardedFor(head.headers().get("Forwarded"));
        var requestId = RequestIds.acceptOrNext(head.headers().get(Responses.REQUEST_ID));
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        guard.checkAhead(authorization, access.needed(method, path));
                    } catch (UnauthorizedException | ForbiddenException e) {
                        var refused = Responses.problem(Problems.of(e, requestId));
                        var actor = e instanceof ForbiddenException forbidden ? forbidden.actor() : null;
                        audit(method, path, new byte[0], actor, Addresses.audited(source, forwardedFor), refused);
                        refused.release();
                        throw e;
                    }
                },
                workers);
    }

    /** A key lookup in a table, answered on the event loop: no virtual thread, no token (lookups are open). */
    @Override
    public FullHttpResponse inline(FullHttpRequest request, String requestId) {
        var method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            return null;
        }
        var path = rawPath(request.uri());
        if (!TablesApi.isKeyLookup(path)) {
            return null;
        }
        try {
            return tables.lookup(path, request.content().readableBytes(), requestId);
        } catch (RuntimeException e) {
            return Responses.problem(Problems.of(e, requestId));
        }
    }

    /** The path as the caller sent it, still encoded. */
    private static String rawPath(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** Records a management action, or any refused request, on the audit trail. */
    private void audit(
            HttpMethod method, String path, byte[] body, String actor, String source, FullHttpResponse answer) {
        int status = answer.status().code();
        var action = ManagementActions.action(method, path);
        if (action == null && status != 401 && status != 403) {
            return;
        }
        String target = ManagementActions.target(path);
        if (action != null && action.equals("deploy")) {
            var location = answer.headers().get(HttpHeaderNames.LOCATION);
            target = location != null ? ManagementActions.target(location) : target;
        } else if (action != null && action.equals("token.create")) {
            target = JsonMember.text(body, "name", target);
        }
        audit.accept(new AuditEvent(
                clock.instant(),
                actor,
                source,
                action != null ? action : method + " " + path,
                target,
                AuditEvent.resultOf(status),
                status,
                status < 400 ? null : JsonMember.text(ByteBufUtil.getBytes(answer.content()), "detail", null)));
    }

    private static final String OPENAPI_FILE = "openapi.json";
    private static final String DOCS = "/docs";
    private static final String HISTORY = "/v1/history";
    private static final String OPENAPI = "/v1/" + OPENAPI_FILE;
    private static final String VERSION =
            Objects.requireNonNullElse(ManagementApi.class.getPackage().getImplementationVersion(), "dev");

    /** The active deployments that take a service's calls (not a canary or a shadow beside one). */
    private List<Deployment> primaries() {
        return deployments.all().stream()
                .filter(d -> d.state() == Deployment.State.ACTIVE && d.variant() == Variant.PRIMARY)
                .sorted(Comparator.comparing(Deployment::service))
                .toList();
    }

    /** {@code /v1/deployments/{id}/jar}: where a pod fetches its deployment's jar. */
    private static boolean isJar(String path) {
        return path.startsWith(DEPLOYMENTS + "/")
                && path.endsWith(JAR)
                && oneBelow(path.substring(0, path.length() - JAR.length()), DEPLOYMENTS);
    }

    /** A deployment's jar, to one of its pods: any gateway answers, given the deployment's token. */
    private FullHttpResponse jar(HttpMethod method, String path, String authorization) throws Exception {
        allow(method, path, HttpMethod.GET);
        var id = path.substring(DEPLOYMENTS.length() + 1, path.length() - JAR.length());
        var presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7)
                : null;
        if (!deploymentTokens.accepts(id, presented)) {
            throw new UnauthorizedException("fetching " + id + "'s jar takes the deployment's token as"
                    + " 'Authorization: Bearer <token>' (its pods have it from their Secret)"
                    + (presented == null ? "" : "; this one is not it"));
        }
        return FileResponse.of(deployments.jarFile(id), "application/java-archive"); // sent as it is read
    }

    /** Deployments, their instances and scaling, and alerts: what a follower asks the leader for. */
    private static boolean onlyTheLeaderKnows(String path) {
        return path.equals(DEPLOYMENTS)
                || oneBelow(path, DEPLOYMENTS)
                || path.equals(SERVICES)
                || oneBelow(path, SERVICES)
                || path.equals(STATUS)
                || oneBelow(path, STATUS)
                || path.equals("/v1/alerts")
                || RolloutsApi.owns(path);
    }

    private FullHttpResponse route(
            HttpMethod method,
            String path,
            Map<String, List<String>> query,
            String contentType,
            String authorization,
            byte[] body,
            Path upload,
            String actor,
            String requestId)
            throws Exception {
        if (DashboardPages.owns(path)) {
            allow(method, path, HttpMethod.GET);
            return DashboardPages.answer(path, requestId);
        }
        if (path.equals(DashboardApi.LOG)) {
            allow(method, path, HttpMethod.GET);
            return dashboard.log(query, requestId);
        }
        if (path.equals(DashboardApi.WHOAMI)) {
            allow(method, path, HttpMethod.GET);
            return dashboard.whoami(authorization, actor, requestId);
        }
        if (path.equals(Wire.HEALTH)) {
            allow(method, path, HttpMethod.GET);
            return ok(Map.of("status", "up"), requestId);
        }
        if (path.equals(Wire.READY)) {
            // For a load balancer: whether to send calls here. Not while the routes are unknown (starting) or
            // while the server stops.
            allow(method, path, HttpMethod.GET);
            if (!ready.getAsBoolean()) {
                throw new NotReadyException("this gateway is starting (reading its deployments) or stopping", 1);
            }
            return ok(Map.of("status", "ready"), requestId);
        }
        if (path.equals("/v1/alerts")) {
            allow(method, path, HttpMethod.GET);
            return ok(alerts.get(), requestId);
        }
        if (path.equals("/metrics")) {
            allow(method, path, HttpMethod.GET);
            return Responses.response(
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    Unpooled.wrappedBuffer(metrics.get().getBytes(StandardCharsets.UTF_8)),
                    requestId);
        }
        if (path.equals("/v2/health/live") || path.equals("/v2/health/ready")) {
            // The Open Inference Protocol's server probes: the gateway is up; each model has its own /ready.
            allow(method, path, HttpMethod.GET);
            return ok(Map.of(path.endsWith("live") ? "live" : "ready", true), requestId);
        }
        if (path.equals(AuditApi.PATH)) {
            allow(method, path, HttpMethod.GET);
            return auditApi.since(query, requestId);
        }
        if (TokensApi.owns(path)) {
            return apiTokens.handle(method, path, body, requestId);
        }
        if (RequestsApi.owns(path)) {
            return requests.handle(method, path, query, requestId);
        }
        if (RolloutsApi.owns(path)) {
            return rollouts.handle(method, path, query, actor, requestId);
        }
        if (path.equals(DEPLOYMENTS)) {
            allow(method, path, HttpMethod.GET, HttpMethod.POST);
            return method.equals(HttpMethod.POST)
                    ? deploy(DeployRequest.read(query, contentType, body, upload), actor, requestId)
                    : listDeployments(requestId);
        }
        if (oneBelow(path, DEPLOYMENTS)) {
            allow(method, path, HttpMethod.GET, HttpMethod.DELETE);
            var id = path.substring(DEPLOYMENTS.length() + 1);
            return method.equals(HttpMethod.DELETE) ? undeploy(id, requestId) : deployment(id, requestId);
        }
        if (path.equals(STATUS) || oneBelow(path, STATUS)) {
            allow(method, path, HttpMethod.GET);
            return status(path.equals(STATUS) ? null : path.substring(STATUS.length() + 1), requestId);
        }
        if (path.equals(SERVICES)) {
            allow(method, path, HttpMethod.GET);
            return listServices(requestId);
        }
        if (path.equals(HISTORY)) {
            allow(method, path, HttpMethod.GET);
            return ok(HistoryView.summary(history), requestId);
        }
        if (oneBelow(path, HISTORY)) {
            allow(method, path, HttpMethod.GET);
            var id = path.substring(HISTORY.length() + 1);
            return ok(HistoryView.of(id, history, scaling.changes(id), coldStarts.of(id)), requestId);
        }
        if (path.equals(OPENAPI)) {
            allow(method, path, HttpMethod.GET);
            return ok(OpenApi.ofServer(primaries(), VERSION, modelMetadata), requestId);
        }
        if (path.startsWith(DocsPage.ASSETS)) {
            allow(method, path, HttpMethod.GET);
            return DocsPage.asset(path.substring(DocsPage.ASSETS.length()), requestId);
        }
        if (path.startsWith(SERVICES + "/")
                && path.endsWith(DOCS)
                && oneBelow(path.substring(0, path.length() - DOCS.length()), SERVICES)) {
            allow(method, path, HttpMethod.GET);
            var service = path.substring(SERVICES.length() + 1, path.length() - DOCS.length());
            if (primaries().stream().noneMatch(d -> d.service().equals(service))) {
                throw new UnknownServiceException(
                        service, "no service '" + service + "' is deployed; GET /v1/services lists them");
            }
            return DocsPage.page(service, requestId);
        }
        if (path.startsWith(SERVICES + "/") && path.endsWith("/" + OPENAPI_FILE)) {
            allow(method, path, HttpMethod.GET);
            var service = path.substring(SERVICES.length() + 1, path.length() - OPENAPI_FILE.length() - 1);
            return ok(
                    OpenApi.ofService(
                            primaries().stream()
                                    .filter(d -> d.service().equals(service))
                                    .findFirst()
                                    .orElseThrow(() -> new UnknownServiceException(
                                            service,
                                            "no service '" + service + "' is deployed; GET /v1/services lists them")),
                            modelMetadata),
                    requestId);
        }
        if (oneBelow(path, SERVICES)) {
            allow(method, path, HttpMethod.GET);
            return service(path.substring(SERVICES.length() + 1), requestId);
        }
        throw new NoRouteException("no route " + path + "; endpoints are called at " + Wire.SERVICES_PREFIX
                + "{service}/{endpoint}, deployments managed at " + DEPLOYMENTS);
    }

    private FullHttpResponse deploy(DeployRequest deploy, String actor, String requestId) throws Exception {
        var by = actor == null ? "local" : actor;
        var deployment = deploy.isModel()
                ? deployments.deployOnnx(deploy.model(), deploy.name(), deploy.scaling(), deploy.settings(), by)
                : deployments.deploy(deploy.jar(), deploy.className(), deploy.settings(), deploy.scaling(), by);
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

    private FullHttpResponse deployment(String id, String requestId) throws Exception {
        return ok(Views.DeploymentView.of(deployments.find(id), deployments.instances()), requestId);
    }

    private FullHttpResponse undeploy(String id, String requestId) throws Exception {
        return ok(Views.DeploymentView.of(deployments.undeploy(id), List.of()), requestId);
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
        return ok(Views.ServiceView.of(active(name), deployments.instances()), requestId);
    }

    private Deployment active(String service) {
        return deployments.active().stream()
                .filter(d -> d.service().equals(service))
                .findFirst()
                .orElseThrow(() -> new UnknownServiceException(service));
    }

    /** Every active deployment (or one service's) with its instances, held calls and last scaling decision. */
    private FullHttpResponse status(String service, String requestId) {
        var instances = deployments.instances();
        var shown = service == null ? deployments.active() : List.of(active(service));
        var views = shown.stream()
                .map(d -> Views.StatusView.of(
                        d,
                        instances,
                        routes.traffic(d.id()).orElse(null),
                        scaling.lastDecision(d.id()).orElse(null)))
                .toList();
        var body = new LinkedHashMap<String, Object>();
        leader.get()
                .ifPresent(t -> body.put(
                        "leader",
                        Map.of(
                                "holder",
                                t.holder(),
                                "term",
                                t.number(),
                                "until",
                                t.until().toString())));
        body.put("services", views);
        return ok(body, requestId);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
