package io.flowhost.async;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.TraceContext;
import io.flowhost.gateway.AsyncIntake;
import io.flowhost.gateway.Call;
import io.flowhost.state.RequestStore;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.BadRequestException;
import io.flowhost.wire.protocol.Wire;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;

/**
 * Takes calls that ask to be answered later into the durable queue: 202 with the request's
 * Location only once the request is committed to disk; the same request again for a repeated
 * Idempotency-Key; a {@code QueueFullException} (429 with Retry-After) when the deployment's queue is full.
 */
public final class Intake implements AsyncIntake {

    /** The header naming where to POST the request's final state. */
    public static final String CALLBACK = "Callback-Url";

    /** The W3C Trace Context headers, kept with the request and sent again when it runs. */
    static final String TRACEPARENT = "traceparent";

    static final String TRACESTATE = "tracestate";

    private final RequestStore store;
    private final CallbackOrigins callbacks;
    private final Runnable nudge;
    private final InstantSource clock;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param nudge tells the dispatcher there is new work, so that it need not wait for its next look
     */
    public Intake(RequestStore store, CallbackOrigins callbacks, Runnable nudge, InstantSource clock) {
        this.store = store;
        this.callbacks = callbacks;
        this.nudge = nudge;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<FullHttpResponse> accept(Call call) {
        var request = call.request();
        var headers = request.headers();
        var callback = headers.get(CALLBACK);
        var key = headers.get("Idempotency-Key");
        var contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        var trace = trace(headers);
        var body = ByteBufUtil.getBytes(request.content());
        request.release();
        if (callback != null) {
            var refusal = callbacks.refusal(callback);
            if (refusal != null) {
                return CompletableFuture.failedFuture(new BadRequestException(refusal));
            }
        }
        if (key != null && (key.isBlank() || key.length() > 200)) {
            return CompletableFuture.failedFuture(new BadRequestException("Idempotency-Key must be 1-200 characters"));
        }
        // A key is its caller's own (the token, or the JWT's bearer, the gateway admitted the call with): two callers
        // sending one key make two requests, and neither replays, nor hears of, the other's. Calls without a token
        // share one space of keys. A header value holds no newline, so no caller's name can forge another's prefix.
        var caller = headers.get(Wire.CALLER);
        if (key != null && caller != null) {
            key = caller + "\n" + key;
        }
        var deployment = call.target().deployment();
        var requestId = call.requestId();
        var accepted = new NewRequest(
                deployment.id(),
                deployment.service(),
                call.target().endpoint(),
                contentType,
                body,
                requestId,
                key,
                callback,
                trace);
        return store.submit(accepted, deployment.retention(), clock.instant()).thenApply(submitted -> {
            if (!submitted.duplicate()) {
                nudge.run();
            }
            var view = RequestView.of(submitted.request(), clock.instant());
            var response = Responses.response(202, Responses.JSON, Unpooled.wrappedBuffer(bytes(view)), requestId);
            response.headers()
                    .set(
                            HttpHeaderNames.LOCATION,
                            RequestView.location(submitted.request().id()));
            if (submitted.duplicate()) {
                response.headers().set("Idempotent-Replayed", "true");
            }
            return response;
        });
    }

    /**
     * The trace the call came in: its {@code traceparent} (the gateway's own span's when it traces, else the
     * caller's, as sent) and {@code tracestate}; null, and nothing stored, for a call outside any trace.
     */
    private static TraceContext trace(HttpHeaders headers) {
        var parent = headers.get(TRACEPARENT);
        if (parent == null) {
            return null;
        }
        var states = headers.getAll(TRACESTATE);
        return TraceContext.of(parent, states.isEmpty() ? null : String.join(",", states));
    }

    private byte[] bytes(Object view) {
        try {
            return json.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
