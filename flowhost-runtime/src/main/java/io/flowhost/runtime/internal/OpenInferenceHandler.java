package io.flowhost.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.HandlerFailedException;
import io.flowhost.domain.service.MediaTypes;
import io.flowhost.domain.service.MethodNotAllowedException;
import io.flowhost.domain.service.UnsupportedMediaTypeException;
import io.flowhost.onnx.InvalidInputException;
import io.flowhost.onnx.OnnxModel;
import io.flowhost.onnx.Tensor;
import io.flowhost.onnx.v2.InferenceJson;
import io.flowhost.wire.netty.InOrderHandler;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.BadRequestException;
import io.flowhost.wire.protocol.NoRouteException;
import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.protocol.ProblemType;
import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.RequestIds;
import io.flowhost.wire.protocol.Wire;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The Open Inference Protocol (KServe v2) REST routes of one ONNX model, on one connection:
 * server and model health, model metadata, and {@code infer}, which runs on a virtual thread,
 * traced and logged as a prediction of endpoint {@code infer} as an endpoint call is.
 * Errors are problem+json documents that also carry the protocol's own {@code error} member.
 */
final class OpenInferenceHandler extends InOrderHandler {

    private static final System.Logger LOG = System.getLogger("flowhost.instance");

    private final String name;
    private final Supplier<OnnxModel> model;
    private final Probes probes;
    private final ObjectMapper json;
    private final Executor handlers;
    private final String modelPath;
    private final Observing observing;
    private final Supplier<Batcher> batcher;

    /**
     * @param model the loaded model, or null while it loads
     * @param observing traces each inference as a child of the gateway's span and logs it as a prediction
     * @param batcher stacks concurrent requests when the deployment batches them; null (supplied) otherwise
     */
    OpenInferenceHandler(
            String name,
            Supplier<OnnxModel> model,
            Probes probes,
            ObjectMapper json,
            Executor handlers,
            Observing observing,
            Supplier<Batcher> batcher) {
        this.batcher = batcher;
        this.name = name;
        this.model = model;
        this.probes = probes;
        this.json = json;
        this.handlers = handlers;
        this.modelPath = "/v2/models/" + name;
        this.observing = observing;
    }

    @Override
    protected void handle(FullHttpRequest request, Reply reply) {
        var path = InstanceHandler.path(request.uri());
        var id = reply.requestId();
        if (path.equals(modelPath + "/infer")) {
            ServedMarker.called();
            infer(request, reply);
            return;
        }
        var method = request.method();
        request.release();
        if (probes.answer(path, reply)) {
            return;
        }
        switch (path) {
            case "/v2/health/live" -> get(method, path, reply, () -> Map.of("live", true));
            case "/v2/health/ready" -> get(method, path, reply, () -> Map.of("ready", model.get() != null));
            default -> {
                if (path.equals(modelPath + "/ready")) {
                    get(method, path, reply, () -> Map.of("name", name, "ready", model.get() != null));
                } else if (path.equals(modelPath)) {
                    metadata(method, path, reply);
                } else {
                    fail(
                            reply,
                            new NoRouteException("no route " + path + "; this instance serves model '" + name
                                    + "' at " + modelPath + " (GET), " + modelPath + "/ready (GET) and " + modelPath
                                    + "/infer (POST)"));
                }
            }
        }
    }

    private void get(HttpMethod method, String path, Reply reply, Supplier<Object> body) {
        if (!method.equals(HttpMethod.GET)) {
            fail(reply, notAllowed(path, "GET", method));
            return;
        }
        json(reply, body.get());
    }

    private void metadata(HttpMethod method, String path, Reply reply) {
        var loaded = model.get();
        if (!method.equals(HttpMethod.GET)) {
            fail(reply, notAllowed(path, "GET", method));
        } else if (loaded == null) {
            fail(reply, probes.notReady());
        } else {
            json(reply, InferenceJson.writeMetadata(name, List.of(), loaded));
        }
    }

    private void infer(FullHttpRequest request, Reply reply) {
        RuntimeException refused = null;
        var contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (!request.method().equals(HttpMethod.POST)) {
            refused = notAllowed(modelPath + "/infer", "POST", request.method());
        } else if (!MediaTypes.isJson(contentType)) {
            refused = new UnsupportedMediaTypeException("infer takes application/json, not " + contentType);
        } else if (model.get() == null) {
            refused = probes.notReady();
        }
        if (refused != null) {
            request.release();
            fail(reply, refused);
            return;
        }
        var span = observing.startSpan("infer " + name, request, reply, name, "infer");
        var traceId = observing.traceId(span, request);
        var variant = request.headers().get(Wire.VARIANT);
        var body = ByteBufUtil.getBytes(request.content());
        request.release();
        var loaded = model.get();
        handlers.execute(() -> {
            try (var ignored = span == null ? null : span.makeCurrent()) {
                run(loaded, body, reply, traceId, variant);
            }
        });
    }

    /**
     * Infers and answers. A body that is not the model's input (malformed, a tensor missing or of the
     * wrong shape or type) gets 400 and, like a body that does not bind to an endpoint's input, is not
     * a prediction; an answer or a failure of the model is.
     */
    private void run(OnnxModel loaded, byte[] body, Reply reply, String traceId, String variant) {
        long started = System.nanoTime();
        var id = reply.requestId();
        byte[] answer;
        Batcher.Outcome batch = null;
        try {
            var call = InferenceJson.parseRequest(json, body);
            Map<String, Tensor> outputs;
            var batching = batcher.get();
            if (batching == null) {
                outputs = loaded.infer(call.inputs(), call.outputs());
            } else {
                loaded.check(call.inputs(), call.outputs()); // a request that does not fit fails alone
                batch = batching.call(call);
                Observing.batched(batch.size());
                if (batch.failure() != null) {
                    var failed = new HandlerFailedException("infer", batch.errorId(), batch.failure());
                    var problem = v2(Problems.of(failed, id));
                    record(body, problem.toJson(), problem.status(), started, id, traceId, variant);
                    reply.send(InstanceHandler.withBatch(Responses.problem(problem), batch));
                    return;
                }
                @SuppressWarnings("unchecked")
                var mine = (Map<String, Tensor>) batch.value();
                outputs = mine;
            }
            answer = json.writeValueAsBytes(InferenceJson.writeResponse(name, null, call.id(), outputs.values()));
        } catch (InvalidInputException e) {
            fail(reply, new BadRequestException(e.getMessage()));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(reply, probes.notReady());
            return;
        } catch (JsonProcessingException | RuntimeException e) {
            var problem = failed(e, id);
            record(body, problem.toJson(), problem.status(), started, id, traceId, variant);
            reply.send(InstanceHandler.withBatch(Responses.problem(problem), batch));
            return;
        }
        record(body, answer, 200, started, id, traceId, variant);
        reply.send(InstanceHandler.withBatch(
                Responses.response(200, Responses.JSON, Unpooled.wrappedBuffer(answer), id), batch));
    }

    /** Hands a sampled inference to prediction logging (one field read when it is off). */
    private void record(
            byte[] request,
            byte[] response,
            int status,
            long started,
            String requestId,
            String traceId,
            String variant) {
        var predictions = observing.predictions();
        if (predictions.sample()) {
            predictions.record(
                    "infer",
                    request,
                    response,
                    status,
                    Duration.ofNanos(System.nanoTime() - started),
                    requestId,
                    traceId,
                    variant);
        }
    }

    /** The model failed: logged here with its stack trace, answered with the error id only. */
    private Problem failed(Exception e, String id) {
        var errorId = RequestIds.next();
        LOG.log(Level.ERROR, "inference on '" + name + "' failed (error id " + errorId + ", request " + id + ")", e);
        return v2(Problems.of(new HandlerFailedException("infer", errorId, e), id));
    }

    @Override
    protected void answered(Reply reply, HttpResponse response) {
        super.answered(reply, response);
        Observing.answered(reply, response);
    }

    private static MethodNotAllowedException notAllowed(String path, String allowed, HttpMethod method) {
        return new MethodNotAllowedException(path + " is called with " + allowed + ", not " + method, allowed);
    }

    /** Answers the problem the failure stands for, in the protocol's flavour. */
    private static void fail(Reply reply, RuntimeException failure) {
        reply.problem(v2(Problems.of(failure, reply.requestId())));
    }

    /** The protocol's clients read {@code error}; everyone else reads the problem's {@code detail}. */
    private static Problem v2(Problem problem) {
        return problem.with("error", problem.detail());
    }

    private void json(Reply reply, Object body) {
        try {
            reply.send(Responses.response(
                    200, Responses.JSON, Unpooled.wrappedBuffer(json.writeValueAsBytes(body)), reply.requestId()));
        } catch (JsonProcessingException e) {
            reply.problem(Problem.of(
                    ProblemType.INTERNAL,
                    "cannot write the answer as JSON: " + e.getOriginalMessage(),
                    reply.requestId()));
        }
    }
}
