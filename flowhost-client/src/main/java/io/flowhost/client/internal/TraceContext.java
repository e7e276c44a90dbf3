package io.flowhost.client.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Supplier;

/**
 * The W3C {@code traceparent} of OpenTelemetry's current span, read through method handles so that the client needs
 * OpenTelemetry only when the caller has it: without it on the class path, or outside any span, there is none.
 */
public final class TraceContext {

    private TraceContext() {}

    /** A supplier of the current span's {@code traceparent}, or of null when there is no span (or no OpenTelemetry). */
    public static Supplier<String> openTelemetry() {
        try {
            var lookup = MethodHandles.publicLookup();
            var span = Class.forName("io.opentelemetry.api.trace.Span");
            var context = Class.forName("io.opentelemetry.api.trace.SpanContext");
            var flags = Class.forName("io.opentelemetry.api.trace.TraceFlags");
            var current = lookup.findStatic(span, "current", MethodType.methodType(span));
            var spanContext = lookup.findVirtual(span, "getSpanContext", MethodType.methodType(context));
            var valid = lookup.findVirtual(context, "isValid", MethodType.methodType(boolean.class));
            var traceId = lookup.findVirtual(context, "getTraceId", MethodType.methodType(String.class));
            var spanId = lookup.findVirtual(context, "getSpanId", MethodType.methodType(String.class));
            var traceFlags = lookup.findVirtual(context, "getTraceFlags", MethodType.methodType(flags));
            var hex = lookup.findVirtual(flags, "asHex", MethodType.methodType(String.class));
            return () -> traceparent(current, spanContext, valid, traceId, spanId, traceFlags, hex);
        } catch (ReflectiveOperationException | LinkageError e) {
            return () -> null; // no OpenTelemetry here: no trace to join
        }
    }

    private static String traceparent(
            MethodHandle current,
            MethodHandle spanContext,
            MethodHandle valid,
            MethodHandle traceId,
            MethodHandle spanId,
            MethodHandle traceFlags,
            MethodHandle hex) {
        try {
            var context = spanContext.invoke(current.invoke());
            if (!(boolean) valid.invoke(context)) {
                return null;
            }
            return "00-" + traceId.invoke(context) + "-" + spanId.invoke(context) + "-"
                    + hex.invoke(traceFlags.invoke(context));
        } catch (Throwable e) {
            return null; // a trace is a help: never a reason for a call to fail
        }
    }
}
