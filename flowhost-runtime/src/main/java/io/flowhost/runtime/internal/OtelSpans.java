package io.flowhost.runtime.internal;

import io.flowhost.sdk.Spans;
import io.flowhost.wire.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.Map;
import java.util.concurrent.Callable;

/** The SDK's {@link Spans} over OpenTelemetry: spans nest under the current one (the handler's). */
public final class OtelSpans implements Spans {

    private final Tracer tracer;

    private OtelSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** A service's spans under this tracing; the no-op ones when it is off. */
    public static Spans of(Tracing tracing) {
        return tracing.enabled() ? new OtelSpans(tracing.tracer()) : Spans.NOOP;
    }

    @Override
    public <T> T inSpan(String name, Map<String, ?> attributes, Callable<T> work) throws Exception {
        var span = tracer.spanBuilder(name).startSpan();
        if (attributes != null) {
            attributes.forEach((key, value) -> set(span, key, value));
        }
        try (var ignored = span.makeCurrent()) {
            return work.call();
        } catch (Exception | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.toString());
            throw e;
        } finally {
            span.end();
        }
    }

    @Override
    public void setAttribute(String key, Object value) {
        set(Span.current(), key, value);
    }

    static void set(Span span, String key, Object value) {
        switch (value) {
            case null -> {}
            case String s -> span.setAttribute(key, s);
            case Boolean b -> span.setAttribute(key, b);
            case Long l -> span.setAttribute(key, l);
            case Integer i -> span.setAttribute(AttributeKey.longKey(key), i.longValue());
            case Short i -> span.setAttribute(AttributeKey.longKey(key), i.longValue());
            case Byte i -> span.setAttribute(AttributeKey.longKey(key), i.longValue());
            case Double d -> span.setAttribute(key, d);
            case Float f -> span.setAttribute(AttributeKey.doubleKey(key), f.doubleValue());
            default -> span.setAttribute(key, value.toString());
        }
    }
}
