package io.flowhost.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.EndpointRules;
import io.flowhost.domain.service.HandlerFailedException;
import io.flowhost.domain.service.UnknownServiceException;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.wire.netty.InOrderHandler;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.BadRequestException;
import io.flowhost.wire.protocol.NoRouteException;
import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.RequestIds;
import io.flowhost.wire.protocol.StreamFormat;
import io.flowhost.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
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
    private final Batchers batchers;

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
            Observing observing,
            Batchers batchers) {
        this.observing = observing;
        this.batchers = batchers;
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
            var named = path.substring(Wire.SERVICES_PREFIX.length()).split("/")[0];
            reply.fail(new UnknownServiceException(
                    named, "this instance serves '" + service.name() + "', not the service named in " + path));
        } else {
            reply.fail(new NoRouteException("no route " + path + "; endpoints are at " + prefix + "{endpoint}"));
        }
    }

    private void endpoint(FullHttpRequest request, String route, Reply reply) {
        ServedMarker.called();
        try {
            check(request, route);
        } catch (RuntimeException refused) {
            request.release();
            reply.fail(refused);
            return;
        }
        var endpoint = service.endpoint(route);
        var instance = target.get();
        var body = request.content(); // released by the handler's thread when done
        var span = observing.startSpan("handler " + route, request, reply, service.name(), route);
        var traceId = observing.traceId(span, request);
        var variant = request.headers().get(Wire.VARIANT);
        var format =
                endpoint.streams() ? StreamFormat.accepted(request.headers().get(HttpHeaderNames.ACCEPT)) : null;
        handlers.execute(() -> {
            // current while the handler runs, so that the service's own spans nest under it
            try (var ignored = span == null ? null : span.makeCurrent()) {
                call(endpoint, instance, body, reply, traceId, variant, format);
            } finally {
                body.release();
            }
        });
    }

    @Override
    protected void answered(Reply reply, HttpResponse response) {
        super.answered(reply, response);
        Observing.answered(reply, response);
    }

    /** Refuses a call that cannot reach its endpoint, in the gateway's words (the same rules). */
    private void check(FullHttpRequest request, String route) {
        EndpointRules.check(
                service.descriptor(),
                route,
                request.method().name(),
                request.headers().get(HttpHeaderNames.CONTENT_TYPE));
        if (target.get() == null) {
            throw probes.notReady();
        }
    }

    private void call(
            EndpointBinding endpoint,
            Object instance,
            ByteBuf body,
            Reply reply,
            String traceId,
            String variant,
            StreamFormat format) {
        long started = System.nanoTime();
        var id = reply.requestId();
        Object input = null;
        if (endpoint.takesBody()) {
            try {
                input = body.isReadable() ? endpoint.read(new ByteBufInputStream(body)) : null;
            } catch (JsonProcessingException e) {
                reply.fail(e);
                return;
            } catch (IOException e) {
                reply.fail(new BadRequestException(e.getMessage()));
                return;
            }
            if (input == null) {
                reply.fail(new BadRequestException("endpoint '" + endpoint.name() + "' needs a JSON body ("
                        + endpoint.descriptor().input() + "), not " + (body.isReadable() ? "null" : "nothing")));
                return;
            }
        }
        if (format != null) {
            new StreamedCall(json, context().alloc(), observing, endpoint, reply, format)
                    .run(instance, input, body, started, traceId, variant);
            return;
        }
        Object result;
        Batcher.Outcome batch = null;
        try {
            if (endpoint.batched()) {
                batch = batchers.of(endpoint, instance).call(input);
                Observing.batched(batch.size());
                if (batch.failure() != null && !(batch.failure() instanceof CallRejectedException)) {
                    var failed = new HandlerFailedException(endpoint.name(), batch.errorId(), batch.failure());
                    answer(reply, Problems.of(failed, id), endpoint, body, started, traceId, variant, batch);
                    return;
                }
                if (batch.failure() != null) {
                    throw batch.failure();
                }
                result = batch.value();
            } else {
                result = endpoint.call(instance, input);
            }
        } catch (CallRejectedException e) {
            answer(reply, Problems.of(e, id), endpoint, body, started, traceId, variant, batch);
            return;
        } catch (Throwable e) {
            answer(reply, crashed(endpoint, e, id), endpoint, body, started, traceId, variant, batch);
            return;
        }
        if (endpoint.returnsNothing()) {
            answer(
                    reply,
                    Responses.response(204, Responses.JSON, Unpooled.EMPTY_BUFFER, id),
                    endpoint,
                    body,
                    started,
                    traceId,
                    variant,
                    batch);
            return;
        }
        var out = context().alloc().buffer(256);
        try {
            json.writeValue((OutputStream) new ByteBufOutputStream(out), result);
        } catch (IOException | RuntimeException e) {
            out.release();
            answer(reply, crashed(endpoint, e, id), endpoint, body, started, traceId, variant, batch);
            return;
        }
        answer(
                reply,
                Responses.response(200, Responses.JSON, out, id),
                endpoint,
                body,
                started,
                traceId,
                variant,
                batch);
    }

    /** Tells the gateway, on the answer, how many calls the batch held and how long this one waited for it. */
    static FullHttpResponse withBatch(FullHttpResponse response, Batcher.Outcome batch) {
        if (batch != null) {
            response.headers().set(Wire.BATCH_SIZE, batch.size());
            response.headers().set(Wire.BATCH_QUEUE, batch.queuedNanos() / 1000);
        }
        return response;
    }

    /** Sends the answer of a call that reached its endpoint; a sampled one also goes to prediction logging. */
    private void answer(
            Reply reply,
            FullHttpResponse response,
            EndpointBinding endpoint,
            ByteBuf body,
            long started,
            String traceId,
            String variant,
            Batcher.Outcome batch) {
        var predictions = observing.predictions();
        if (predictions.sample()) { // one field read when logging is off
            predictions.record(
                    endpoint.name(),
                    ByteBufUtil.getBytes(body, 0, body.writerIndex()),
                    ByteBufUtil.getBytes(response.content()),
                    response.status().code(),
                    Duration.ofNanos(System.nanoTime() - started),
                    reply.requestId(),
                    traceId,
                    variant);
        }
        reply.send(withBatch(response, batch));
    }

    /** The {@code answer} above, for a rejection or a failure: its problem is the answer logged. */
    private void answer(
            Reply reply,
            Problem problem,
            EndpointBinding endpoint,
            ByteBuf body,
            long started,
            String traceId,
            String variant,
            Batcher.Outcome batch) {
        var predictions = observing.predictions();
        if (predictions.sample()) {
            predictions.record(
                    endpoint.name(),
                    ByteBufUtil.getBytes(body, 0, body.writerIndex()),
                    problem.toJson(),
                    problem.status(),
                    Duration.ofNanos(System.nanoTime() - started),
                    reply.requestId(),
                    traceId,
                    variant);
        }
        reply.send(withBatch(Responses.problem(problem), batch));
    }

    /** A handler that threw: logged here with its stack trace, answered as a problem with the error id only. */
    static Problem crashed(EndpointBinding endpoint, Throwable e, String requestId) {
        var errorId = RequestIds.next();
        LOG.log(
                Level.ERROR,
                "endpoint '" + endpoint.name() + "' failed (error id " + errorId + ", request " + requestId + ")",
                e);
        return Problems.of(new HandlerFailedException(endpoint.name(), errorId, e), requestId);
    }

    static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
