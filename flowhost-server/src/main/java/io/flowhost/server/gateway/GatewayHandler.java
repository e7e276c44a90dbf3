package io.flowhost.server.gateway;

import io.flowhost.runtime.netty.LimitedAggregator;
import io.flowhost.runtime.netty.MediaTypes;
import io.flowhost.runtime.netty.RequestIds;
import io.flowhost.runtime.netty.Responses;
import io.flowhost.runtime.protocol.Problem;
import io.flowhost.runtime.protocol.ProblemType;
import io.flowhost.runtime.protocol.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.runtime.protocol.Wire;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The gateway's side of one caller connection: routes each call to an instance of its service
 * and relays the answer, or hands management requests to the {@link ManagementRoutes}. Calls on a
 * connection are answered in order, one at a time, as HTTP/1.1 requires of pipelined requests.
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {

    private final RouteTable routes;
    private final BackendPool pool;
    private final ManagementRoutes management;
    private final LimitedAggregator limits;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean busy;

    GatewayHandler(RouteTable routes, BackendPool pool, ManagementRoutes management, LimitedAggregator limits) {
        this.routes = routes;
        this.pool = pool;
        this.management = management;
        this.limits = limits;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (busy) {
            waiting.addLast(request);
        } else {
            handle(request);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void handle(FullHttpRequest request) {
        busy = true;
        var call = new Call(request);
        var uri = request.uri();
        int limit = limits.limitOf(uri);
        if (request.content().readableBytes() > limit) {
            // A chunked body has no Content-Length for the aggregator to check against this path's limit.
            var problem = LimitedAggregator.tooLarge(-1, limit, call.requestId);
            request.release();
            call.answer(problemResponse(problem));
            return;
        }
        if (uri.startsWith(Wire.SERVICES_PREFIX) && isEndpointPath(uri)) {
            forward(call, request);
        } else {
            management.handle(request, call.requestId).whenComplete((response, error) ->
                    ctx.executor().execute(() -> call.answer(response != null ? response
                            : problemResponse(Problem.of(ProblemType.INTERNAL, "the management request failed: "
                                    + error, call.requestId)))));
        }
    }

    /** {@code /v1/services/{service}/{endpoint}}, with or without a query. */
    private static boolean isEndpointPath(String uri) {
        int end = uri.indexOf('?');
        end = end < 0 ? uri.length() : end;
        int slash = uri.indexOf('/', Wire.SERVICES_PREFIX.length());
        return slash > Wire.SERVICES_PREFIX.length() && slash < end - 1 && uri.indexOf('/', slash + 1) < 0;
    }

    private void forward(Call call, FullHttpRequest request) {
        var uri = request.uri();
        int query = uri.indexOf('?');
        var path = query < 0 ? uri : uri.substring(0, query);
        int slash = path.indexOf('/', Wire.SERVICES_PREFIX.length());
        var service = path.substring(Wire.SERVICES_PREFIX.length(), slash);
        var endpointName = path.substring(slash + 1);
        var route = routes.get(service);
        if (route == null) {
            reject(call, request, Problem.of(ProblemType.UNKNOWN_SERVICE, "no service '" + service
                    + "' is deployed; GET /v1/services lists the services", call.requestId));
            return;
        }
        var endpoint = route.descriptor().endpoint(endpointName).orElse(null);
        if (endpoint == null) {
            reject(call, request, Problem.of(ProblemType.UNKNOWN_ENDPOINT, "service '" + service + "' has no endpoint '"
                    + endpointName + "'; it has " + route.descriptor().endpoints().stream()
                    .map(EndpointDescriptor::name).toList(), call.requestId));
            return;
        }
        if (!request.method().name().equals(endpoint.method())) {
            var problem = Problem.of(ProblemType.METHOD_NOT_ALLOWED, "endpoint '" + endpointName + "' of '" + service
                    + "' is called with " + endpoint.method() + ", not " + request.method(), call.requestId)
                    .with("allow", endpoint.method());
            var response = problemResponse(problem);
            response.headers().set(HttpHeaderNames.ALLOW, endpoint.method());
            request.release();
            call.answer(response);
            return;
        }
        var contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (endpoint.method().equals("POST") && !MediaTypes.isJson(contentType)) {
            reject(call, request, Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "endpoint '" + endpointName
                    + "' takes application/json, not " + contentType + "; send Content-Type: application/json",
                    call.requestId));
            return;
        }
        var backend = route.pick();
        if (backend == null) {
            var problem = Problem.of(ProblemType.NOT_READY, "service '" + service + "' has no ready instance yet ("
                    + route.deployment().id() + " is starting); retry in a few seconds", call.requestId);
            var response = problemResponse(problem);
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "2");
            request.release();
            call.answer(response);
            return;
        }
        prepare(request, call.requestId);
        pool.acquire(ctx.channel().eventLoop(), backend, (connection, error) -> {
            if (connection == null) {
                request.release();
                call.fail(Problem.of(ProblemType.INSTANCE_FAILED, "cannot reach instance " + backend.instanceId()
                        + ": " + error.getMessage(), call.requestId));
            } else {
                connection.send(request, call);
            }
        });
    }

    /** Makes the caller's request fit to go on to an instance over a kept-alive HTTP/1.1 connection. */
    private static void prepare(FullHttpRequest request, String requestId) {
        var headers = request.headers();
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        headers.remove(HttpHeaderNames.CONNECTION);
        headers.remove(HttpHeaderNames.KEEP_ALIVE);
        headers.remove(HttpHeaderNames.EXPECT);   // the gateway has already answered 100-continue
        headers.set(Responses.REQUEST_ID, requestId);
    }

    private void reject(Call call, FullHttpRequest request, Problem problem) {
        request.release();
        call.answer(problemResponse(problem));
    }

    static FullHttpResponse problemResponse(Problem problem) {
        return Responses.response(problem.status(), Responses.PROBLEM_JSON, Unpooled.wrappedBuffer(problem.toJson()),
                problem.requestId());
    }

    private void next() {
        busy = false;
        var request = waiting.pollFirst();
        if (request != null) {
            handle(request);
        }
    }

    /** One call on this connection; answering it lets the next pipelined call go. */
    private final class Call implements Exchange {
        private final String requestId;
        private final boolean keepAlive;

        Call(FullHttpRequest request) {
            this.requestId = RequestIds.acceptOrNext(request.headers().get(Responses.REQUEST_ID));
            this.keepAlive = HttpUtil.isKeepAlive(request);
        }

        @Override
        public String requestId() {
            return requestId;
        }

        @Override
        public void answer(FullHttpResponse response) {
            var headers = response.headers();
            if (!headers.contains(Responses.REQUEST_ID)) {
                headers.set(Responses.REQUEST_ID, requestId);
            }
            if (keepAlive && ctx.channel().isActive()) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response, ctx.voidPromise());
                next();
            } else {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void fail(Problem problem) {
            answer(problemResponse(problem));
        }
    }
}
