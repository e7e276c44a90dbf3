package io.flowhost.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.runtime.netty.MediaTypes;
import io.flowhost.runtime.netty.RequestIds;
import io.flowhost.runtime.netty.Responses;
import io.flowhost.runtime.protocol.Problem;
import io.flowhost.runtime.protocol.ProblemType;
import io.flowhost.runtime.protocol.Wire;
import io.flowhost.sdk.CallRejectedException;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Serves an instance's routes: the probes, and each endpoint, whose handler runs on a virtual
 * thread so that a slow model never blocks the event loop.
 */
@ChannelHandler.Sharable
final class InstanceHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final System.Logger LOG = System.getLogger("flowhost.instance");

    private final BoundService service;
    private final Supplier<Object> target;
    private final ObjectMapper json;
    private final Executor handlers;
    private final String prefix;

    /**
     * @param target the constructed service, or null while its constructor runs
     */
    InstanceHandler(BoundService service, Supplier<Object> target, ObjectMapper json, Executor handlers) {
        this.service = service;
        this.target = target;
        this.json = json;
        this.handlers = handlers;
        this.prefix = Wire.SERVICES_PREFIX + service.name() + "/";
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        var requestId = RequestIds.acceptOrNext(request.headers().get(Responses.REQUEST_ID));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        var path = path(request.uri());
        if (path.equals(Wire.HEALTH)) {
            Responses.json(ctx, 200, Unpooled.wrappedBuffer("{\"status\":\"up\"}".getBytes()), requestId, keepAlive);
        } else if (path.equals(Wire.READY)) {
            ready(ctx, requestId, keepAlive);
        } else if (path.startsWith(prefix)) {
            endpoint(ctx, request, path.substring(prefix.length()), requestId, keepAlive);
        } else if (path.startsWith(Wire.SERVICES_PREFIX)) {
            var detail = "this instance serves '" + service.name() + "', not the service named in " + path;
            Responses.problem(ctx, Problem.of(ProblemType.UNKNOWN_SERVICE, detail, requestId), keepAlive);
        } else {
            var detail = "no route " + path + "; endpoints are at " + prefix + "{endpoint}";
            Responses.problem(ctx, Problem.of(ProblemType.NOT_FOUND, detail, requestId), keepAlive);
        }
    }

    private void ready(ChannelHandlerContext ctx, String requestId, boolean keepAlive) {
        if (target.get() != null) {
            Responses.json(ctx, 200, Unpooled.wrappedBuffer("{\"status\":\"ready\"}".getBytes()), requestId, keepAlive);
        } else {
            var detail = "the service constructor of '" + service.name() + "' is still running";
            Responses.problem(ctx, Problem.of(ProblemType.NOT_READY, detail, requestId), keepAlive);
        }
    }

    private void endpoint(ChannelHandlerContext ctx, FullHttpRequest request, String route, String requestId,
                          boolean keepAlive) {
        var endpoint = service.endpoint(route);
        if (endpoint == null) {
            var detail = "service '" + service.name() + "' has no endpoint '" + route + "'; it has "
                    + service.endpoints().keySet().stream().sorted().toList();
            Responses.problem(ctx, Problem.of(ProblemType.UNKNOWN_ENDPOINT, detail, requestId), keepAlive);
            return;
        }
        var expected = endpoint.takesBody() ? HttpMethod.POST : HttpMethod.GET;
        if (!request.method().equals(expected)) {
            var detail = "endpoint '" + route + "' is called with " + expected + ", not " + request.method();
            var problem = Problem.of(ProblemType.METHOD_NOT_ALLOWED, detail, requestId).with("allow", expected.name());
            var response = Responses.response(405, Responses.PROBLEM_JSON, Unpooled.wrappedBuffer(problem.toJson()),
                    requestId);
            response.headers().set(HttpHeaderNames.ALLOW, expected.name());
            Responses.write(ctx, response, keepAlive);
            return;
        }
        var contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (endpoint.takesBody() && !MediaTypes.isJson(contentType)) {
            var detail = "endpoint '" + route + "' takes application/json, not " + contentType;
            Responses.problem(ctx, Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, detail, requestId), keepAlive);
            return;
        }
        var instance = target.get();
        if (instance == null) {
            var detail = "the service constructor of '" + service.name() + "' is still running; retry shortly";
            Responses.problem(ctx, Problem.of(ProblemType.NOT_READY, detail, requestId), keepAlive);
            return;
        }
        var body = request.content().retain();
        handlers.execute(() -> {
            try {
                handle(ctx, endpoint, instance, new ByteBufInputStream(body), requestId, keepAlive);
            } finally {
                body.release();
            }
        });
    }

    private void handle(ChannelHandlerContext ctx, EndpointBinding endpoint, Object instance,
                        ByteBufInputStream body, String requestId, boolean keepAlive) {
        Object input = null;
        if (endpoint.takesBody()) {
            try {
                if (body.available() == 0) {
                    var detail = "endpoint '" + endpoint.name() + "' needs a JSON body (" + endpoint.descriptor().input()
                            + ")";
                    Responses.problem(ctx, Problem.of(ProblemType.BAD_REQUEST, detail, requestId), keepAlive);
                    return;
                }
                input = endpoint.read(body);
            } catch (JsonProcessingException e) {
                Responses.problem(ctx, BadInput.problem(e, requestId), keepAlive);
                return;
            } catch (IOException e) {
                Responses.problem(ctx, Problem.of(ProblemType.BAD_REQUEST, e.getMessage(), requestId), keepAlive);
                return;
            }
        }
        Object result;
        try {
            result = endpoint.call(instance, input);
        } catch (CallRejectedException e) {
            var problem = Problem.of(ProblemType.CALL_REJECTED, e.getMessage(), requestId).withStatus(e.status());
            Responses.problem(ctx, problem, keepAlive);
            return;
        } catch (Throwable e) {
            crashed(ctx, endpoint, e, requestId, keepAlive);
            return;
        }
        respond(ctx, endpoint, result, requestId, keepAlive);
    }

    private void respond(ChannelHandlerContext ctx, EndpointBinding endpoint, Object result, String requestId,
                         boolean keepAlive) {
        if (endpoint.returnsNothing()) {
            Responses.json(ctx, 204, Unpooled.EMPTY_BUFFER, requestId, keepAlive);
            return;
        }
        var out = ctx.alloc().buffer(256);
        try {
            json.writeValue((java.io.OutputStream) new ByteBufOutputStream(out), result);
        } catch (IOException | RuntimeException e) {
            out.release();
            crashed(ctx, endpoint, e, requestId, keepAlive);
            return;
        }
        Responses.json(ctx, 200, out, requestId, keepAlive);
    }

    private void crashed(ChannelHandlerContext ctx, EndpointBinding endpoint, Throwable e, String requestId,
                         boolean keepAlive) {
        var errorId = RequestIds.next();
        LOG.log(Level.ERROR, "endpoint '" + endpoint.name() + "' failed (error id " + errorId + ", request "
                + requestId + ")", e);
        var detail = "endpoint '" + endpoint.name() + "' failed with " + e.getClass().getSimpleName()
                + "; the instance log has the stack trace under error id " + errorId;
        Responses.problem(ctx, Problem.of(ProblemType.HANDLER_FAILED, detail, requestId).with("errorId", errorId),
                keepAlive);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "connection closed after an error", cause);
        ctx.close();
    }

    static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
