package io.flowhost.wire.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * The spans the SDK's batch span processor dropped because its export queue was full, read from the
 * count the SDK keeps of them: a metric reader on the SDK's own meter provider that exports nothing
 * and collects only when asked.
 *
 * <p>Without a reader (metrics are off) the SDK's meters are no-ops; with this one, the processor
 * adds to its counter once per exported batch and once per dropped span, so a call whose span is
 * queued costs nothing more.
 */
final class DroppedSpans implements MetricReader {

    private static final String SCOPE = "io.opentelemetry.sdk.trace";
    /** The SDK's default ("legacy") telemetry: {@code processedSpans{dropped=true}}. */
    private static final String LEGACY = "processedSpans";

    private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
    /** {@code otel.experimental.sdk.telemetry.version=latest}: {@code error.type=queue_full}. */
    private static final String SEMCONV = "otel.sdk.processor.span.processed";

    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private volatile CollectionRegistration registration = CollectionRegistration.noop();

    /** Spans dropped for a full queue since the SDK started. */
    long count() {
        long dropped = 0;
        for (var metric : registration.collectAllMetrics()) {
            if (metric.getType() == MetricDataType.LONG_SUM
                    && metric.getInstrumentationScopeInfo().getName().equals(SCOPE)) {
                for (var point : metric.getLongSumData().getPoints()) {
                    if (droppedForAFullQueue(metric.getName(), point.getAttributes())) {
                        dropped += point.getValue();
                    }
                }
            }
        }
        return dropped;
    }

    private static boolean droppedForAFullQueue(String metric, Attributes attributes) {
        return metric.equals(LEGACY) && Boolean.TRUE.equals(attributes.get(DROPPED))
                || metric.equals(SEMCONV) && "queue_full".equals(attributes.get(ERROR_TYPE));
    }

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    /** Cumulative: a collection reads the total since the start, not what changed since the last one. */
    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
