package io.flowhost.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.onnx.InvalidInputException;
import io.flowhost.onnx.OnnxModel;
import io.flowhost.onnx.v2.InferenceJson;
import io.flowhost.runtime.netty.InOrderHandler;
import io.flowhost.runtime.netty.MediaTypes;
import io.flowhost.runtime.netty.RequestIds;
import io.flowhost.runtime.netty.Responses;
import io.flowhost.runtime.protocol.Problem;
import io.flowhost.runtime.protocol.ProblemType;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The Open Inference Protocol (KServe v2) REST routes of one ONNX model, on one connection:
 * server and model health, model metadata, and {@code infer}, which runs on a virtual thread.
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

    OpenInferenceHandler(String name, Supplier<OnnxModel> model, Probes probes, ObjectMapper json, Executor handlers) {
        this.name = name;
        this.model = model;
        this.probes = probes;
        this.json = json;
        this.handlers = handlers;
        this.modelPath = "/v2/models/" + name;
    }

    @Override
    protected void handle(FullHttpRequest request, Reply reply) {
        var path = InstanceHandler.path(request.uri());
        var id = reply.requestId();
        if (path.equals(modelPath + "/infer")) {
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
                    reply.problem(v2(Problem.of(ProblemType.NOT_FOUND, "no route " + path + "; this instance serves "
                            + "model '" + name + "' at " + modelPath + " (GET), " + modelPath + "/ready (GET) and "
                            + modelPath + "/infer (POST)", id)));
                }
            }
        }
    }

    private void get(HttpMethod method, String path, Reply reply, Supplier<Object> body) {
        if (!method.equals(HttpMethod.GET)) {
            reply.problem(v2(notAllowed(path, "GET", method, reply.requestId())));
            return;
        }
        json(reply, body.get());
    }

    private void metadata(HttpMethod method, String path, Reply reply) {
        var loaded = model.get();
        if (!method.equals(HttpMethod.GET)) {
            reply.problem(v2(notAllowed(path, "GET", method, reply.requestId())));
        } else if (loaded == null) {
            reply.problem(v2(probes.notReady(reply.requestId())));
        } else {
            json(reply, InferenceJson.writeMetadata(name, List.of(), loaded));
        }
    }

    private void infer(FullHttpRequest request, Reply reply) {
        var id = reply.requestId();
        Problem problem = null;
        var contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (!request.method().equals(HttpMethod.POST)) {
            problem = notAllowed(modelPath + "/infer", "POST", request.method(), id);
        } else if (!MediaTypes.isJson(contentType)) {
            problem = Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "infer takes application/json, not "
                    + contentType, id);
        } else if (model.get() == null) {
            problem = probes.notReady(id);
        }
        if (problem != null) {
            request.release();
            reply.problem(v2(problem));
            return;
        }
        var body = ByteBufUtil.getBytes(request.content());
        request.release();
        var loaded = model.get();
        handlers.execute(() -> run(loaded, body, reply));
    }

    private void run(OnnxModel loaded, byte[] body, Reply reply) {
        var id = reply.requestId();
        try {
            var call = InferenceJson.parseRequest(json, body);
            var outputs = loaded.infer(call.inputs(), call.outputs());
            json(reply, InferenceJson.writeResponse(name, null, call.id(), outputs.values()));
        } catch (InvalidInputException e) {
            reply.problem(v2(Problem.of(ProblemType.BAD_REQUEST, e.getMessage(), id)));
        } catch (RuntimeException e) {
            var errorId = RequestIds.next();
            LOG.log(Level.ERROR, "inference on '" + name + "' failed (error id " + errorId + ", request " + id + ")", e);
            reply.problem(v2(Problem.of(ProblemType.HANDLER_FAILED, "inference on '" + name + "' failed with "
                    + e.getClass().getSimpleName() + "; the instance log has the details under error id " + errorId, id)
                    .with("errorId", errorId)));
        }
    }

    private static Problem notAllowed(String path, String allowed, HttpMethod method, String id) {
        return Problem.of(ProblemType.METHOD_NOT_ALLOWED, path + " is called with " + allowed + ", not " + method, id)
                .with("allow", allowed);
    }

    /** The protocol's clients read {@code error}; everyone else reads the problem's {@code detail}. */
    private static Problem v2(Problem problem) {
        return problem.with("error", problem.detail());
    }

    private void json(Reply reply, Object body) {
        try {
            reply.send(Responses.response(200, Responses.JSON, Unpooled.wrappedBuffer(json.writeValueAsBytes(body)),
                    reply.requestId()));
        } catch (JsonProcessingException e) {
            reply.problem(Problem.of(ProblemType.INTERNAL, "cannot write the answer as JSON: " + e.getOriginalMessage(),
                    reply.requestId()));
        }
    }
}
