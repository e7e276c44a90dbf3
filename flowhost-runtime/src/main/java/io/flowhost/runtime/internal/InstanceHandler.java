package io.flowhost.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.MediaTypes;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.wire.netty.InOrderHandler;
import io.flowhost.wire.netty.RequestIds;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.protocol.ProblemType;
import io.flowhost.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Serves one connection to an instance: the probes, and each endpoint, whose handler runs on a
 * virtual thread so that a slow model never blocks the event loop.
 */
final class InstanceHandler extends InOrderHandler {

    private static final System.Logger LOG = System.getLogger("flowhost.instance");

    private final BoundService service;
    private final Supplier<Object> target;
    private final Probes probes;
    private final ObjectMapper json;
    private final Executor handlers;
    private final String prefix;
    private final Observing observing;

    /**
     * @param target the constructed service, or null while its constructor runs
     * @param probes answers /healthz and /readyz
     * @param observing traces each endpoint call as a child of the gateway's span and logs it as a prediction
     */
    InstanceHandler(
            BoundService service,
            Supplier<Object> target,
            Probes probes,
            ObjectMapper json,
            Executor handlers,
            Observing observing) {
        this.observing = observing;
        this.service = service;
        this.target = target;
        this.probes = probes;
        this.json = json;
        this.handlers = handlers;
        this.prefix = Wire.SERVICES_PREFIX + service.name() + "/";
    }

    @Override
    protected void handle(FullHttpRequest request, Reply reply) {
        var path = path(request.uri());
        if (path.startsWith(prefix)) {
            endpoint(request, path.substring(prefix.length()), reply);
            return;
        }
        request.release();
        var id = reply.requestId();
        if (probes.answer(path, reply)) {
            return;
        }
        if (path.startsWith(Wire.SERVICES_PREFIX)) {
            reply.problem(Problem.of(
                    ProblemType.UNKNOWN_SERVICE,
                    "this instance serves '" + service.name() + "', not the service named in " + path,
                    id));
        } else {
            reply.problem(Problem.of(
                    ProblemType.NOT_FOUND, "no route " + path + "; endpoints are at " + prefix + "{endpoint}", id));
        }
    }

    private void endpoint(FullHttpRequest request, String route, Reply reply) {
        var problem = check(request, route, reply.requestId());
        if (problem != null) {
            request.release();
            reply.problem(problem);
            return;
        }
        var endpoint = service.endpoint(route);
        var instance = target.get();
        var body = request.content(); // released by the handler's thread when done
        var span = observing.startSpan("handler " + route, request, reply, service.name(), route);
        var traceId = observing.traceId(span, request);
        handlers.execute(() -> {
            // current while the handler runs, so that the service's own spans nest under it
            try (var ignored = span == null ? null : span.makeCurrent()) {
                call(endpoint, instance, body, reply, traceId);
            } finally {
                body.release();
            }
        });
    }

    @Override
    protected void answered(Reply reply, FullHttpResponse response) {
        super.answered(reply, response);
        Observing.answered(reply, response);
    }

    /** What is wrong with the call before any handler runs, or null. */
    private Problem check(FullHttpRequest request, String route, String id) {
        var endpoint = service.endpoint(route);
        if (endpoint == null) {
            return Problem.of(
                    ProblemType.UNKNOWN_ENDPOINT,
                    "service '" + service.name() + "' has no endpoint '" + route + "'; it has "
                            + service.endpoints().keySet().stream().sorted().toList(),
                    id);
        }
        var expected = endpoint.takesBody() ? HttpMethod.POST : HttpMethod.GET;
        if (!request.method().equals(expected)) {
            return Problem.of(
                            ProblemType.METHOD_NOT_ALLOWED,
                            "endpoint '" + route + "' is called with " + expected + ", not " + request.method(),
                            id)
                    .with("allow", expected.name());
        }
        var contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (endpoint.takesBody() && !MediaTypes.isJson(contentType)) {
            return Problem.of(
                    ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "endpoint '" + route + "' takes application/json, " + "not " + contentType,
                    id);
        }
        if (target.get() == null) {
            return probes.notReady(id);
        }
        return null;
    }

    private void call(EndpointBinding endpoint, Object instance, ByteBuf body, Reply reply, String traceId) {
        long started = System.nanoTime();
        var id = reply.requestId();
        Object input = null;
        if (endpoint.takesBody()) {
            try {
                input = body.isReadable() ? endpoint.read(new ByteBufInputStream(body)) : null;
            } catch (JsonProcessingException e) {
                reply.problem(BadInput.problem(e, id));
                return;
            } catch (IOException e) {
                reply.problem(Problem.of(ProblemType.BAD_REQUEST, e.getMessage(), id));
                return;
            }
            if (input == null) {
                reply.problem(Problem.of(
                        ProblemType.BAD_REQUEST,
                        "endpoint '" + endpoint.name() + "' needs a JSON " + "body ("
                                + endpoint.descriptor().input() + "), not " + (body.isReadable() ? "null" : "nothing"),
                        id));
                return;
            }
        }
        Object result;
        try {
            result = endpoint.call(instance, input);
        } catch (CallRejectedException e) {
            answer(
                    reply,
                    Problem.of(ProblemType.CALL_REJECTED, e.getMessage(), id).withStatus(e.status()),
                    endpoint,
                    body,
                    started,
                    traceId);
            return;
        } catch (Throwable e) {
            answer(reply, crashed(endpoint, e, id), endpoint, body, started, traceId);
            return;
        }
        if (endpoint.returnsNothing()) {
            answer(
                    reply,
                    Responses.response(204, Responses.JSON, Unpooled.EMPTY_BUFFER, id),
                    endpoint,
                    body,
                    started,
                    traceId);
            return;
        }
        var out = context().alloc().buffer(256);
        try {
            json.writeValue((OutputStream) new ByteBufOutputStream(out), result);
        } catch (IOException | RuntimeException e) {
            out.release();
            answer(reply, crashed(endpoint, e, id), endpoint, body, started, traceId);
            return;
        }
        answer(reply, Responses.response(200, Responses.JSON, out, id), endpoint, body, started, traceId);
    }

    /** Sends the answer of a call that reached its endpoint; a sampled one also goes to prediction logging. */
    private void answer(
            Reply reply,
            FullHttpResponse response,
            EndpointBinding endpoint,
            ByteBuf body,
            long started,
            String traceId) {
        var predictions = observing.predictions();
        if (predictions.sample()) { // one field read when logging is off
            predictions.record(
                    endpoint.name(),
                    ByteBufUtil.getBytes(body, 0, body.writerIndex()),
                    ByteBufUtil.getBytes(response.content()),
                    response.status().code(),
                    Duration.ofNanos(System.nanoTime() - started),
                    reply.requestId(),
                    traceId);
        }
        reply.send(response);
    }

    /** The {@code answer} above, for a rejection or a failure: its problem is the answer logged. */
    private void answer(
            Reply reply, Problem problem, EndpointBinding endpoint, ByteBuf body, long started, String traceId) {
        var predictions = observing.predictions();
        if (predictions.sample()) {
            predictions.record(
                    endpoint.name(),
                    ByteBufUtil.getBytes(body, 0, body.writerIndex()),
                    problem.toJson(),
                    problem.status(),
                    Duration.ofNanos(System.nanoTime() - started),
                    reply.requestId(),
                    traceId);
        }
        reply.problem(problem);
    }

    private static Problem crashed(EndpointBinding endpoint, Throwable e, String requestId) {
        var errorId = RequestIds.next();
        LOG.log(
                Level.ERROR,
                "endpoint '" + endpoint.name() + "' failed (error id " + errorId + ", request " + requestId + ")",
                e);
        var detail = "endpoint '" + endpoint.name() + "' failed with "
                + e.getClass().getSimpleName() + "; the instance log has the stack trace under error id " + errorId;
        return Problem.of(ProblemType.HANDLER_FAILED, detail, requestId).with("errorId", errorId);
    }

    static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
