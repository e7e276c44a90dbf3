package io.flowhost.wire.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tracing is on only when an exporter is asked for, and off (the no-op API) otherwise. */
class TracingSettingsTest {

    private static boolean wanted(Map<String, String> settings) {
        return Tracing.wanted(settings::get);
    }

    @Test
    void anEndpointOrAnExporterTurnsTracingOn() {
        assertThat(wanted(Map.of())).isFalse();
        assertThat(wanted(Map.of("otel.exporter.otlp.endpoint", "http://collector:4318")))
                .isTrue();
        assertThat(wanted(Map.of("otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces")))
                .isTrue();
        assertThat(wanted(Map.of("otel.traces.exporter", "otlp"))).isTrue();
        assertThat(wanted(Map.of("otel.exporter.otlp.endpoint", " "))).isFalse();
    }

    @Test
    void disabledOrNoExporterKeepsItOff() {
        assertThat(wanted(Map.of("otel.exporter.otlp.endpoint", "http://collector:4318", "otel.sdk.disabled", "true")))
                .isFalse();
        assertThat(wanted(
                        Map.of("otel.exporter.otlp.endpoint", "http://collector:4318", "otel.traces.exporter", "none")))
                .isFalse();
    }

    @Test
    void offIsTheNoopApi() {
        var off = Tracing.configure("flowhost-test", key -> null);
        assertThat(off.enabled()).isFalse();
        assertThat(off.spansDropped()).isZero();
        assertThat(off.tracer().spanBuilder("x").startSpan().getSpanContext().isValid())
                .isFalse();
    }
}
