package io.flowhost.wire.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The trace id a prediction carries when tracing is off: read from the caller's {@code traceparent}, if valid. */
class TraceparentTest {

    private static String traceId(String traceparent) {
        var headers = new DefaultHttpHeaders();
        if (traceparent != null) {
            headers.set("traceparent", traceparent);
        }
        return Tracing.traceId(headers);
    }

    @Test
    void aValidTraceparentGivesItsTraceId() {
        assertThat(traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void noTraceparentGivesNone() {
        assertThat(traceId(null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "garbage",
                "00-4bf92f3577b34da6a3ce929d0e0e4736",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all zero: invalid by W3C
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case: invalid by W3C
                "00-4bf92f3577b34da6a3ce929d0e0e473x-00f067aa0ba902b7-01",
                "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01"
            })
    void anInvalidTraceparentGivesNone(String traceparent) {
        assertThat(traceId(traceparent)).isNull();
    }
}
