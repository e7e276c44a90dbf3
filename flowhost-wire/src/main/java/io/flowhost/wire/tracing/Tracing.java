package io.flowhost.wire.tracing;

import io.flowhost.domain.request.TraceContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * OpenTelemetry tracing for the gateway and its instances, configured with the standard
 * {@code OTEL_*} environment variables (or {@code otel.*} system properties) through the SDK's
 * autoconfiguration, and on only when an exporter is asked for: without
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} or
 * {@code OTEL_TRACES_EXPORTER} (or with {@code OTEL_SDK_DISABLED=true}) it is the no-op API, and
 * callers check {@link #enabled()} to skip their tracing work altogether.
 */
public final class Tracing implements AutoCloseable {

    /** The instrumentation scope of flowhost's spans. */
    /** The header's name as Netty looks it up fastest: its hash computed once, not on every call. */
    private static final AsciiString TRACEPARENT = AsciiString.cached("traceparent");

    public static final String SCOPE = "io.flowhost";

    /** Spans a process holds for export before it drops new ones ({@code OTEL_BSP_MAX_QUEUE_SIZE} overrides it). */
    static final int MAX_QUEUED_SPANS = 16_384;

    /** Spans sent in one export ({@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE} overrides it). */
    static final int EXPORT_BATCH_SPANS = 2_048;

    /** How long closing waits for the last spans to be exported. */
    static final int CLOSE_WAIT_SECONDS = 2;

    private static final Tracing OFF = new Tracing(OpenTelemetry.noop(), null, null);

    private final OpenTelemetry openTelemetry;
    private final OpenTelemetrySdk sdk;
    private final DroppedSpans dropped;
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    private Tracing(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk, DroppedSpans dropped) {
        this.openTelemetry = openTelemetry;
        this.sdk = sdk;
        this.dropped = dropped;
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Tracing off: the no-op API. */
    public static Tracing off() {
        return OFF;
    }

    /**
     * Tracing as this process's environment and system properties ask for it.
     *
     * @param serviceName the {@code service.name} unless {@code OTEL_SERVICE_NAME} says otherwise
     */
    public static Tracing fromEnvironment(String serviceName) {
        return configure(serviceName, Tracing::setting);
    }

    static Tracing configure(String serviceName, UnaryOperator<String> setting) {
        if (!wanted(setting)) {
            return OFF;
        }
        try {
            var dropped = new DroppedSpans();
            var sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    // defaults: system properties and environment variables override them
                    .addPropertiesSupplier(() -> Map.of(
                            "otel.service.name", serviceName,
                            "otel.exporter.otlp.protocol", "http/protobuf",
                            "otel.metrics.exporter", "none",
                            // nothing reads exemplars; each would hold the ids of the span current as a span is dropped
                            "otel.metrics.exemplar.filter", "always_off",
                            "otel.logs.exporter", "none",
                            // The SDK's 2,048-span queue and 512-span batches dropped a tenth of the spans of a
                            // process tracing 30,000 calls a second (the queue fills while a batch is sent);
                            // these hold half a second of that, and fewer, larger exports cost less CPU per span.
                            "otel.bsp.max.queue.size", Integer.toString(MAX_QUEUED_SPANS),
                            "otel.bsp.max.export.batch.size", Integer.toString(EXPORT_BATCH_SPANS)))
                    // The span processor counts the spans it drops on this meter provider, which has no reader
                    // with metrics off: this one reads the count when asked.
                    .addMeterProviderCustomizer((meters, config) -> meters.registerMetricReader(dropped))
                    .build()
                    .getOpenTelemetrySdk();
            return new Tracing(sdk, sdk, dropped);
        } catch (RuntimeException e) {
            System.getLogger("flowhost.tracing")
                    .log(
                            System.Logger.Level.WARNING,
                            "tracing is off: its OTEL_* settings are not valid: " + e.getMessage());
            return OFF;
        }
    }

    /** Whether the settings ask for traces to be exported. */
    static boolean wanted(UnaryOperator<String> setting) {
        if ("true".equalsIgnoreCase(trim(setting.apply("otel.sdk.disabled")))) {
            return false;
        }
        var exporter = trim(setting.apply("otel.traces.exporter"));
        if (exporter != null) {
            return !exporter.equalsIgnoreCase("none");
        }
        return trim(setting.apply("otel.exporter.otlp.endpoint")) != null
                || trim(setting.apply("otel.exporter.otlp.traces.endpoint")) != null;
    }

    /** A system property, else its environment variable ({@code otel.foo.bar} → {@code OTEL_FOO_BAR}). */
    private static String setting(String property) {
        var value = System.getProperty(property);
        return value != null
                ? value
                : System.getenv(
                        property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }

    private static String trim(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Whether spans are recorded and exported; when false, skip all tracing work. */
    public boolean enabled() {
        return sdk != null;
    }

    /**
     * Spans ended in this process that were not exported because the export queue was full, since tracing
     * started; 0 when tracing is off. It collects the SDK's counters, so read it when asked, not per call.
     */
    public long spansDropped() {
        return dropped == null ? 0 : dropped.count();
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    public Tracer tracer() {
        return tracer;
    }

    /** The caller's context from a request's {@code traceparent}/{@code tracestate}, or the root context. */
    public Context extract(HttpHeaders headers) {
        return propagator.extract(Context.root(), headers, NettyHeaders.GETTER);
    }

    /**
     * The trace id of a request's {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}), or null
     * when it has none or not a valid one; reads the header only, whether tracing is on or off.
     */
    public static String traceId(HttpHeaders headers) {
        var parent = headers.get(TRACEPARENT);
        return validTraceparent(parent) ? parent.substring(3, 35) : null;
    }

    /** Whether a {@code traceparent} header follows the W3C Trace Context rules. */
    public static boolean validTraceparent(String header) {
        return TraceContext.valid(header);
    }

    /** Sets the {@code traceparent}/{@code tracestate} of the span on a request that goes on. */
    public void inject(Span span, HttpHeaders headers) {
        propagator.inject(Context.root().with(span), headers, NettyHeaders.SETTER);
    }

    /**
     * Exports what is left, waiting at most {@link #CLOSE_WAIT_SECONDS} for the collector, and stops; the
     * no-op needs nothing.
     */
    @Override
    public void close() {
        if (sdk != null) {
            // The SDK's own close waits up to 10 s for a collector that does not answer. An instance
            // stopping gets 10 s in all before it is killed, and after tracing it still has to close
            // the service itself, so the spans a hung collector cannot take are let go sooner.
            sdk.shutdown().join(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
