package io.flowhost.runtime.internal;

import static io.flowhost.wire.tracing.SpanAttributes.ENDPOINT;
import static io.flowhost.wire.tracing.SpanAttributes.HTTP_METHOD;
import static io.flowhost.wire.tracing.SpanAttributes.REQUEST_ID;
import static io.flowhost.wire.tracing.SpanAttributes.SERVICE;
import static io.flowhost.wire.tracing.SpanAttributes.URL_PATH;

import io.flowhost.runtime.predictions.Predictions;
import io.flowhost.wire.netty.InOrderHandler.Reply;
import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.tracing.SpanAttributes;
import io.flowhost.wire.tracing.Tracing;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;

/**
 * What an instance does with each call besides answering it, whatever it serves: traces it (a
 * SERVER span, the child of the caller's {@code traceparent}) and logs it as a prediction. One per
 * instance, shared by the handlers of all its connections.
 */
record Observing(Tracing tracing, Predictions predictions) {

    /**
     * Starts the span of a call and attaches it to the reply, for {@link #answered} to end; null, with
     * no tracing work at all, when tracing is off.
     *
     * @param service what the instance serves (the service's or the model's name)
     */
    Span startSpan(String name, FullHttpRequest request, Reply reply, String service, String endpoint) {
        if (!tracing.enabled()) {
            return null;
        }
        var span = tracing.tracer()
                .spanBuilder(name)
                .setParent(tracing.extract(request.headers()))
                .setSpanKind(SpanKind.SERVER)
                .startSpan();
        if (span.isRecording()) { // set after sampling: a call sampled out costs no attributes
            span.setAttribute(HTTP_METHOD, request.method().name());
            span.setAttribute(URL_PATH, InstanceHandler.path(request.uri()));
            span.setAttribute(SERVICE, service);
            span.setAttribute(ENDPOINT, endpoint);
            span.setAttribute(REQUEST_ID, reply.requestId());
        }
        reply.attach(span);
        return span;
    }

    /** Puts the size of a batched call's batch on its handler span (the current span while the handler runs). */
    static void batched(int size) {
        var span = Span.current();
        if (span.isRecording()) {
            span.setAttribute(SpanAttributes.BATCH_SIZE, (long) size);
        }
    }

    /**
     * The trace id a prediction of this call carries: its span's when traced, else the caller's
     * {@code traceparent}'s; looked up only when predictions are logged (one field read otherwise).
     */
    String traceId(Span span, FullHttpRequest request) {
        if (span != null) {
            return span.getSpanContext().getTraceId();
        }
        return predictions.enabled() ? Tracing.traceId(request.headers()) : null;
    }

    /**
     * Puts what a streamed answer sent on its span (ended when its last chunk is written), and marks the span failed
     * when the stream ended with an error.
     */
    static void streamed(Reply reply, long items, Problem failed) {
        if (reply.attachment() instanceof Span span && span.isRecording()) {
            span.setAttribute(SpanAttributes.STREAM_ITEMS, items);
            if (failed != null) {
                span.setStatus(StatusCode.ERROR, failed.detail());
            }
        }
    }

    /** Ends the span of an answered call, if it has one, with the status answered (an error from 500 up). */
    static void answered(Reply reply, HttpResponse response) {
        if (reply.attachment() instanceof Span span) {
            SpanAttributes.endServerSpan(
                    span, response.status().code(), response.status().reasonPhrase());
        }
    }
}
