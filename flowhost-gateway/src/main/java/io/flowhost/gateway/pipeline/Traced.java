package io.flowhost.gateway.pipeline;

import static io.flowhost.wire.tracing.SpanAttributes.ASYNC_REQUEST_ID;
import static io.flowhost.wire.tracing.SpanAttributes.DEPLOYMENT;
import static io.flowhost.wire.tracing.SpanAttributes.ENDPOINT;
import static io.flowhost.wire.tracing.SpanAttributes.HTTP_METHOD;
import static io.flowhost.wire.tracing.SpanAttributes.REQUEST_ID;
import static io.flowhost.wire.tracing.SpanAttributes.SERVICE;
import static io.flowhost.wire.tracing.SpanAttributes.URL_PATH;

import io.flowhost.gateway.Call;
import io.flowhost.wire.netty.StreamedResponse;
import io.flowhost.wire.tracing.SpanAttributes;
import io.flowhost.wire.tracing.Tracing;
import io.netty.handler.codec.http.FullHttpResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Traces every call: a SERVER span {@code POST /v1/services/{service}/{endpoint}}, a child of the caller's
 * when it sent {@code traceparent}, with a {@code queue wait} span before it for an async run; the call
 * carries it on, so that the instance's span (and an async request's later runs) join the trace.
 */
public final class Traced implements CallHandler {

    private final CallHandler next;
    private final Tracing tracing;

    public Traced(CallHandler next, Tracing tracing) {
        this.next = next;
        this.tracing = tracing;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(Call call) {
        var request = call.request();
        var span = tracing.tracer()
                .spanBuilder(request.method().name() + " " + call.path().path())
                .setParent(tracing.extract(request.headers()))
                .setSpanKind(SpanKind.SERVER)
                .startSpan();
        call.span(span);
        // Kept with a queued request (its runs join this trace); sent on to the instance otherwise.
        tracing.inject(span, request.headers());
        if (span.isRecording()) { // attributes only for a span the sampler keeps: one sampled out costs little
            span.setAttribute(HTTP_METHOD, request.method().name());
            span.setAttribute(URL_PATH, call.path().path());
            span.setAttribute(SERVICE, call.path().service());
            span.setAttribute(ENDPOINT, call.path().endpoint());
            span.setAttribute(REQUEST_ID, call.requestId());
            if (call.mode() == Call.Mode.ASYNC_RUN) {
                span.setAttribute(ASYNC_REQUEST_ID, call.asyncRequestId());
                queueWait(span, call.queuedMillis());
            }
        }
        return next.handle(call).whenComplete((response, failure) -> {
            if (response instanceof StreamedResponse streamed) { // the call lasts until its last chunk is relayed
                streamed.relayed().thenAccept(bytes -> {
                    span.setAttribute(SpanAttributes.STREAM_BYTES, bytes);
                    ended(call, span, response);
                });
            } else {
                ended(call, span, response);
            }
        });
    }

    /** The time an async request waited in the queue, as a span that ends where this run starts. */
    private void queueWait(Span parent, long queuedMillis) {
        var now = Instant.now();
        tracing.tracer()
                .spanBuilder("queue wait")
                .setParent(Context.root().with(parent))
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(now.minusMillis(Math.max(0, queuedMillis)))
                .startSpan()
                .end(now);
    }

    private static void ended(Call call, Span span, FullHttpResponse response) {
        if (span.isRecording() && call.target() != null) {
            span.setAttribute(DEPLOYMENT, call.target().deployment().id());
        }
        int status = response == null ? 500 : response.status().code();
        SpanAttributes.endServerSpan(
                span, status, response == null ? "no answer" : response.status().reasonPhrase());
    }
}
