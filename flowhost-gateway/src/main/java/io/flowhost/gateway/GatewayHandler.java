package io.flowhost.gateway;

import static io.flowhost.wire.tracing.SpanAttributes.DEPLOYMENT;
import static io.flowhost.wire.tracing.SpanAttributes.ENDPOINT;
import static io.flowhost.wire.tracing.SpanAttributes.HTTP_METHOD;
import static io.flowhost.wire.tracing.SpanAttributes.REQUEST_ID;
import static io.flowhost.wire.tracing.SpanAttributes.SERVICE;
import static io.flowhost.wire.tracing.SpanAttributes.URL_PATH;

import io.flowhost.domain.service.MediaTypes;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.wire.netty.InOrderHandler;
import io.flowhost.wire.netty.LimitedAggregator;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.protocol.ProblemType;
import io.flowhost.wire.protocol.Wire;
import io.flowhost.wire.tracing.SpanAttributes;
import io.flowhost.wire.tracing.Tracing;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The gateway's side of one caller connection: routes each call to an instance of its service
 * and relays the answer, or hands management requests to the {@link ManagementRoutes}.
 */
final class GatewayHandler extends InOrderHandler {

    private final RouteTable routes;
    private final BackendPool pool;
    private final ManagementRoutes management;
    private final LimitedAggregator limits;
    private final AsyncIntake async;
    private final CallObserver observer;
    private final Tracing tracing;

    GatewayHandler(
            RouteTable routes,
            BackendPool pool,
            ManagementRoutes management,
            LimitedAggregator limits,
            AsyncIntake async,
            CallObserver observer) {
        this(routes, pool, management, limits, async, observer, Tracing.off());
    }

    GatewayHandler(
            RouteTable routes,
            BackendPool pool,
            ManagementRoutes management,
            LimitedAggregator limits,
            AsyncIntake async,
            CallObserver observer,
            Tracing tracing) {
        this.tracing = tracing;
        this.observer = observer;
        this.routes = routes;
        this.pool = pool;
        this.management = management;
        this.limits = limits;
        this.async = async;
    }

    @Override
    protected void handle(FullHttpRequest request, Reply reply) {
        var uri = request.uri();
        int limit = limits.limitOf(uri);
        if (request.content().readableBytes() > limit) {
            // A chunked body has no Content-Length for the aggregator to check against this path's limit.
            request.release();
            reply.problem(LimitedAggregator.tooLarge(-1, limit, reply.requestId()));
            return;
        }
        if (uri.startsWith(Wire.SERVICES_PREFIX) && isEndpointPath(uri)) {
            forward(request, reply);
        } else if (uri.startsWith(MODELS_PREFIX)) {
            forwardModel(request, reply);
        } else {
            management.handle(request, reply.requestId()).whenComplete((response, error) -> {
                if (response != null) {
                    reply.send(response);
                } else {
                    reply.problem(Problem.of(
                            ProblemType.INTERNAL, "the management request failed: " + error, reply.requestId()));
                }
            });
        }
    }

    @Override
    protected void answered(Reply reply, FullHttpResponse response) {
        if (reply.attachment() instanceof CallRecord call) {
            call.answered(response.status().code(), response.content().readableBytes());
            var span = call.span();
            if (span != null) {
                SpanAttributes.endServerSpan(
                        span, response.status().code(), response.status().reasonPhrase());
            }
            observer.answered(call);
        }
    }

    /**
     * The gateway's span of a call, a child of the caller's when it sent {@code traceparent}; with a
     * {@code queue wait} span before it for an async run the dispatcher sends on.
     */
    private Span startSpan(
            FullHttpRequest request,
            Reply reply,
            CallRecord call,
            String name,
            String service,
            String endpoint,
            String deployment,
            long queuedMillis) {
        var span = tracing.tracer()
                .spanBuilder(request.method().name() + " " + name)
                .setParent(tracing.extract(request.headers()))
                .setSpanKind(SpanKind.SERVER)
                .startSpan();
        if (!span.isRecording()) {
            call.span(span); // sampled out: it still carries the trace on to the instance, and nothing else
            return span;
        }
        // Set after the sampler has decided, so that a call it samples out costs no attributes.
        span.setAttribute(HTTP_METHOD, request.method().name());
        span.setAttribute(URL_PATH, path(request.uri()));
        span.setAttribute(SERVICE, service);
        span.setAttribute(ENDPOINT, endpoint);
        span.setAttribute(REQUEST_ID, reply.requestId());
        if (deployment != null) {
            span.setAttribute(DEPLOYMENT, deployment);
        }
        if (queuedMillis >= 0) {
            span.setAttribute(SpanAttributes.ASYNC_REQUEST_ID, request.headers().get(DISPATCHED));
            var now = Instant.now();
            tracing.tracer()
                    .spanBuilder("queue wait")
                    .setParent(Context.root().with(span))
                    .setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(now.minusMillis(queuedMillis))
                    .startSpan()
                    .end(now);
        }
        call.span(span);
        return span;
    }

    /** A record of the call, attached to its reply, for the request log and the metrics. */
    private CallRecord record(FullHttpRequest request, Reply reply, Route route, String service, String endpoint) {
        var call = new CallRecord();
        if (route == null) {
            call.target(service, null, null, endpoint);
        } else {
            var deployment = route.deployment();
            call.target(deployment.service(), deployment.id(), route.run(), endpoint);
            if (deployment.servesOnnx()
                    ? Set.of("infer", "ready", "metadata").contains(endpoint)
                    : deployment.descriptor().endpoint(endpoint).isPresent()) {
                call.known();
            }
        }
        call.bytesIn(request.content().readableBytes());
        var queued = request.headers().get(QUEUED_MS);
        long queuedMillis = -1;
        if (request.headers().contains(DISPATCHED)) {
            call.mode("async-run");
            if (queued != null) {
                try {
                    queuedMillis = Long.parseLong(queued);
                    call.queued(queuedMillis);
                } catch (NumberFormatException ignored) {
                    // not ours to trust; the record goes without it
                }
            }
        }
        if (tracing.enabled()) {
            var name = request.uri().startsWith(MODELS_PREFIX)
                    ? MODELS_PREFIX + service + "/" + endpoint
                    : Wire.SERVICES_PREFIX + service + "/" + endpoint;
            var span = startSpan(
                    request,
                    reply,
                    call,
                    name,
                    service,
                    endpoint,
                    route == null ? null : route.deployment().id(),
                    queuedMillis);
            call.ids(reply.requestId(), span.getSpanContext().getTraceId());
        } else {
            call.ids(reply.requestId(), Tracing.traceId(request.headers()));
        }
        reply.attach(call);
        return call;
    }

    private static final String QUEUED_MS = AsyncIntake.QUEUED_MS;

    /** The Open Inference Protocol's per-model routes: {@code /v2/models/{name}[/...]}. */
    private static final String MODELS_PREFIX = "/v2/models/";

    /** A model call: relayed untouched to an instance of the ONNX deployment with that name. */
    private void forwardModel(FullHttpRequest request, Reply reply) {
        var path = path(request.uri());
        int slash = path.indexOf('/', MODELS_PREFIX.length());
        var name = path.substring(MODELS_PREFIX.length(), slash < 0 ? path.length() : slash);
        var route = routes.get(name);
        Problem problem = null;
        if (route == null || !route.deployment().servesOnnx()) {
            problem = Problem.of(
                            ProblemType.NOT_FOUND,
                            "no model '" + name + "' is deployed; /v2/models serves the "
                                    + "models deployed with 'flowhost deploy --onnx <reference> --name <name>'",
                            reply.requestId())
                    .with("error", "model '" + name + "' not found");
        }
        if (problem != null) {
            request.release();
            reply.problem(problem);
            return;
        }
        route.traffic().arrived();
        int rest = path.indexOf('/', MODELS_PREFIX.length());
        var call = record(request, reply, route, name, rest < 0 ? "metadata" : path.substring(rest + 1));
        prepare(request, reply.requestId());
        if (call.span() != null) {
            tracing.inject(call.span(), request.headers()); // the instance's span becomes a child of ours
        }
        dispatch(request, reply, route, 1);
    }

    /** {@code /v1/services/{service}/{endpoint}}, with or without a query. */
    private static boolean isEndpointPath(String uri) {
        int end = uri.indexOf('?');
        end = end < 0 ? uri.length() : end;
        int slash = uri.indexOf('/', Wire.SERVICES_PREFIX.length());
        return slash > Wire.SERVICES_PREFIX.length() && slash < end - 1 && uri.indexOf('/', slash + 1) < 0;
    }

    private void forward(FullHttpRequest request, Reply reply) {
        var path = path(request.uri());
        int slash = path.indexOf('/', Wire.SERVICES_PREFIX.length());
        var service = path.substring(Wire.SERVICES_PREFIX.length(), slash);
        var route = routes.get(service);
        var endpoint = path.substring(slash + 1);
        var call = record(request, reply, route, service, endpoint);
        var problem = check(request, route, service, endpoint, reply.requestId());
        boolean queued = problem == null && wantsAsync(request);
        if (problem == null) {
            problem = checkMode(route, service, endpoint, queued, request, reply.requestId());
        }
        if (problem != null) {
            request.release();
            reply.problem(problem);
            return;
        }
        if (queued) {
            call.mode("async");
            route.traffic().arrived();
            if (call.span() != null) {
                tracing.inject(call.span(), request.headers()); // kept with the request: its run joins this trace
            }
            async.accept(route, endpoint, request, reply.requestId()).whenComplete((response, error) -> {
                if (response != null) {
                    reply.send(response);
                } else {
                    reply.problem(Problem.of(
                            ProblemType.INTERNAL, "the call could not be queued: " + error, reply.requestId()));
                }
            });
            return;
        }
        route.traffic().arrived();
        prepare(request, reply.requestId());
        if (call.span() != null) {
            tracing.inject(call.span(), request.headers()); // the instance's span becomes a child of ours
        }
        dispatch(request, reply, route, 1);
    }

    private static final String DISPATCHED = AsyncIntake.DISPATCHED;

    /** {@code Prefer: respond-async} (RFC 7240) or {@code ?async=true}, unless the dispatcher itself is calling. */
    private static boolean wantsAsync(FullHttpRequest request) {
        var headers = request.headers();
        if (headers.contains(DISPATCHED)) {
            return false;
        }
        for (var prefer : headers.getAll("Prefer")) {
            for (var token : prefer.split(",")) {
                if (token.trim().toLowerCase(Locale.ROOT).startsWith("respond-async")) {
                    return true;
                }
            }
        }
        var uri = request.uri();
        int query = uri.indexOf('?');
        return query >= 0
                && new QueryStringDecoder(uri)
                        .parameters()
                        .getOrDefault("async", List.of())
                        .contains("true");
    }

    /** An endpoint declared sync-only or async-only, called the other way. */
    private static Problem checkMode(
            Route route, String service, String endpoint, boolean queued, FullHttpRequest request, String id) {
        var descriptor = route.descriptor().endpoint(endpoint).orElse(null);
        if (descriptor == null || route.deployment().servesOnnx()) {
            return null;
        }
        if (queued && !descriptor.allows("async")) {
            return Problem.of(
                    ProblemType.BAD_REQUEST,
                    "endpoint '" + endpoint + "' of '" + service + "' is sync-only: "
                            + "call it without Prefer: respond-async",
                    id);
        }
        if (!queued && !descriptor.allows("sync") && !request.headers().contains(DISPATCHED)) {
            return Problem.of(
                    ProblemType.BAD_REQUEST,
                    "endpoint '" + endpoint + "' of '" + service + "' is async-only: "
                            + "send Prefer: respond-async (or ?async=true) and fetch the result from the Location it answers",
                    id);
        }
        return null;
    }

    /** Calls are tried on at most this many instances when an instance turns out to be gone before they reach it. */
    private static final int ATTEMPTS = 3;

    /**
     * Sends the call to an instance with room, or holds it until one has room (the activator: the
     * deployment is woken at once if it has no instance). Too many held calls get 503.
     */
    private void dispatch(FullHttpRequest request, Reply reply, Route route, int attempt) {
        var traffic = route.traffic();
        var backend = traffic.reserve();
        if (backend != null) {
            send(request, reply, route, backend, attempt);
            return;
        }
        long heldAt = System.nanoTime();
        boolean cold = traffic.backends().isEmpty();
        var holdSpan = reply.attachment() instanceof CallRecord traced && traced.span() != null
                ? tracing.tracer()
                        .spanBuilder("activator hold")
                        .setParent(Context.root().with(traced.span()))
                        .setSpanKind(SpanKind.INTERNAL)
                        .setAttribute("flowhost.cold_start", cold)
                        .setAttribute("flowhost.attempt", attempt)
                        .startSpan()
                : null;
        var held = new Held(
                context().channel().eventLoop(),
                b -> {
                    if (reply.attachment() instanceof CallRecord call) {
                        call.held(System.nanoTime() - heldAt, cold);
                    }
                    if (holdSpan != null) {
                        holdSpan.setAttribute("flowhost.instance", b.instanceId());
                        holdSpan.end();
                    }
                    send(request, reply, route, b, attempt);
                },
                detail -> {
                    if (holdSpan != null) {
                        holdSpan.setStatus(StatusCode.ERROR, detail);
                        holdSpan.end();
                    }
                    request.release();
                    reply.problem(Problem.of(ProblemType.NOT_READY, detail, reply.requestId()));
                });
        if (!traffic.hold(held)) {
            if (holdSpan != null) {
                holdSpan.setStatus(StatusCode.ERROR, "too many held calls");
                holdSpan.end();
            }
            request.release();
            reply.problem(RouteTable.overloaded(traffic, route.deployment().service(), reply.requestId()));
        }
    }

    /** Sends the call over a pooled connection of this event loop to the instance whose slot it holds. */
    private void send(FullHttpRequest request, Reply reply, Route route, Backend backend, int attempt) {
        if (reply.attachment() instanceof CallRecord call) {
            call.sentTo(backend.instanceId());
        }
        pool.acquire(context().channel().eventLoop(), backend, (connection, error) -> {
            if (connection == null) {
                backend.traffic().release(backend);
                backend.unreachable();
                retry(
                        request,
                        reply,
                        route,
                        attempt,
                        "cannot reach instance " + backend.instanceId() + ": " + error.getMessage());
            } else {
                connection.send(
                        request,
                        reply,
                        unsent -> retry(
                                unsent,
                                reply,
                                route,
                                attempt,
                                "instance " + backend.instanceId() + " went away before the call reached it"));
            }
        });
    }

    /** The call never reached an instance: try another (or wait for one), a few times, then 502. */
    private void retry(FullHttpRequest request, Reply reply, Route route, int attempt, String why) {
        if (attempt < ATTEMPTS) {
            dispatch(request, reply, route, attempt + 1);
        } else {
            request.release();
            reply.problem(Problem.of(
                    ProblemType.INSTANCE_FAILED, why + " (tried " + attempt + " instances)", reply.requestId()));
        }
    }

    /** Why the call cannot go to an instance, or null when it can. */
    private static Problem check(FullHttpRequest request, Route route, String service, String endpointName, String id) {
        if (route == null) {
            return Problem.of(
                    ProblemType.UNKNOWN_SERVICE,
                    "no service '" + service + "' is deployed; GET /v1/services " + "lists the services",
                    id);
        }
        if (route.deployment().servesOnnx()) {
            return Problem.of(
                    ProblemType.UNKNOWN_ENDPOINT,
                    "'" + service + "' is an ONNX model served over the Open "
                            + "Inference Protocol: call POST /v2/models/" + service + "/infer",
                    id);
        }
        var endpoint = route.descriptor().endpoint(endpointName).orElse(null);
        if (endpoint == null) {
            return Problem.of(
                    ProblemType.UNKNOWN_ENDPOINT,
                    "service '" + service + "' has no endpoint '" + endpointName + "'; it has "
                            + route.descriptor().endpoints().stream()
                                    .map(EndpointDescriptor::name)
                                    .toList(),
                    id);
        }
        if (!request.method().name().equals(endpoint.method())) {
            return Problem.of(
                            ProblemType.METHOD_NOT_ALLOWED,
                            "endpoint '" + endpointName + "' of '" + service + "' is called with " + endpoint.method()
                                    + ", not " + request.method(),
                            id)
                    .with("allow", endpoint.method());
        }
        var contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (endpoint.method().equals("POST") && !MediaTypes.isJson(contentType)) {
            return Problem.of(
                    ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "endpoint '" + endpointName + "' takes " + "application/json, not " + contentType
                            + "; send Content-Type: application/json",
                    id);
        }
        return null;
    }

    private static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** Makes the caller's request fit to go on to an instance over a kept-alive HTTP/1.1 connection. */
    private static void prepare(FullHttpRequest request, String requestId) {
        var headers = request.headers();
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.EXPECT); // the gateway has already answered 100-continue
        headers.set(Responses.REQUEST_ID, requestId);
    }
}
