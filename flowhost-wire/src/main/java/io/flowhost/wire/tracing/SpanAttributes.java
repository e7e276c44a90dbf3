package io.flowhost.wire.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/** The attributes of flowhost's SERVER spans, in the gateway and in the instances, and how such a span ends. */
public final class SpanAttributes {

    public static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    public static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    public static final AttributeKey<String> SERVICE = AttributeKey.stringKey("flowhost.service");
    /** How many calls the batch of a batched endpoint's call held, on its handler span. */
    public static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("flowhost.batch.size");
    /** How many bytes of body the gateway relayed for a streamed answer, on its span. */
    public static final AttributeKey<Long> STREAM_BYTES = AttributeKey.longKey("flowhost.stream.bytes");
    /** How many items a streamed answer sent, on its spans. */
    public static final AttributeKey<Long> STREAM_ITEMS = AttributeKey.longKey("flowhost.stream.items");

    public static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("flowhost.endpoint");
    public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("flowhost.request_id");
    public static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("flowhost.deployment");
    public static final AttributeKey<String> ASYNC_REQUEST_ID = AttributeKey.stringKey("flowhost.async_request_id");

    private SpanAttributes() {}

    /** Ends a call's SERVER span with the status it was answered with: an error from 500 up. */
    public static void endServerSpan(Span span, int status, String reason) {
        span.setAttribute(HTTP_STATUS, status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR, reason);
        }
        span.end();
    }
}
