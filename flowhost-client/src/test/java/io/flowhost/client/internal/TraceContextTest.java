package io.flowhost.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

class TraceContextTest {

    @Test
    void theCurrentSpanOfOpenTelemetryIsTheCallsTraceparentAndOutsideOneThereIsNone() {
        var traceparent = TraceContext.openTelemetry();
        assertThat(traceparent.get()).as("no span is current").isNull();

        var context = SpanContext.create(
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7",
                TraceFlags.getSampled(),
                TraceState.getDefault());
        try (var ignored = Span.wrap(context).makeCurrent()) {
            assertThat(traceparent.get()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        }
    }
}
