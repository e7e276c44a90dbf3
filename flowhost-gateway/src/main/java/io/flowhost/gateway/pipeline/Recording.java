package io.flowhost.gateway.pipeline;

import io.flowhost.gateway.Call;
import io.flowhost.gateway.observe.CallObserver;
import io.flowhost.gateway.observe.CallRecord;
import io.flowhost.wire.netty.StreamedResponse;
import io.flowhost.wire.protocol.Wire;
import io.flowhost.wire.tracing.Tracing;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Records every call for the request log, the metrics and the alert statistics: who called what, its mode,
 * where its time went (the stages within fill that in), and how it was answered.
 */
public final class Recording implements CallHandler {

    private final CallHandler next;
    private final CallObserver observer;

    public Recording(CallHandler next, CallObserver observer) {
        this.next = next;
        this.observer = observer;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(Call call) {
        var record = new CallRecord();
        var request = call.request();
        record.bytesIn(request.content().readableBytes());
        record.ids(call.requestId(), Tracing.traceId(request.headers()));
        switch (call.mode()) {
            case ASYNC -> record.mode("async");
            case ASYNC_RUN -> {
                record.mode("async-run");
                record.queued(call.queuedMillis());
            }
            case SYNC -> {}
        }
        call.record(record);
        return next.handle(call).whenComplete((response, failure) -> {
            if (response instanceof StreamedResponse streamed) { // recorded once its last chunk is relayed
                streamed.relayed().thenAccept(bytes -> answered(call, record, response, bytes));
            } else {
                answered(
                        call,
                        record,
                        response,
                        response == null ? 0 : response.content().readableBytes());
            }
        });
    }

    /** A number an instance wrote in a header, or -1 when it is none (an instance is trusted, not believed). */
    private static int number(String text) {
        try {
            return text == null ? -1 : (int) Math.min(Integer.MAX_VALUE, Long.parseLong(text));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void answered(Call call, CallRecord record, FullHttpResponse response, long bytesOut) {
        var target = call.target();
        var path = call.path();
        if (target == null) {
            record.target(path.service(), null, null, null, path.endpoint());
        } else {
            record.target(
                    target.deployment().service(),
                    target.deployment().id(),
                    target.deployment().variant().label(),
                    target.route().run(),
                    path.endpoint());
            if (target.known()) {
                record.known();
            }
        }
        if (call.span() != null) {
            record.ids(call.requestId(), call.span().getSpanContext().getTraceId());
        }
        if (response != null) {
            var batch = response.headers().get(Wire.BATCH_SIZE);
            if (batch != null) {
                record.batch(number(batch), number(response.headers().get(Wire.BATCH_QUEUE)));
            }
        }
        // Stages within answer every call (Answering); a response is missing only if one of them is broken.
        record.answered(response == null ? 500 : response.status().code(), bytesOut);
        observer.answered(record);
    }
}
