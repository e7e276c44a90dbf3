package io.flowhost.domain.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which {@code traceparent} headers an async request keeps: only those a W3C Trace Context parser accepts. */
class TraceContextTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    record Case(String why, String traceparent, boolean kept) {
        @Override
        public String toString() {
            return why;
        }
    }

    static Stream<Case> traceparents() {
        return Stream.of(
                new Case("version 00, sampled", VALID, true),
                new Case("version 00, not sampled", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", true),
                new Case(
                        "a later version with a field more",
                        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xyz",
                        true),
                new Case("version 00 with a field more", VALID + "-xyz", false),
                new Case("version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", false),
                new Case("uppercase hex", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", false),
                new Case("trace id all zeros", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", false),
                new Case("span id all zeros", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", false),
                new Case("trace id too short", "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", false),
                new Case("not hex", "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", false),
                new Case("empty", "", false),
                new Case("missing", null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traceparents")
    void onlyAValidTraceparentIsKept(Case c) {
        assertThat(TraceContext.of(c.traceparent(), null) != null).isEqualTo(c.kept());
    }

    @Test
    void theTraceIdIsTheSecondField() {
        assertThat(TraceContext.of(VALID, null).traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void tracestateIsKeptWithItsTraceparentUnlessBlankOrLongerThanW3cAsksToPassOn() {
        assertThat(TraceContext.of(VALID, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
                        .tracestate())
                .isEqualTo("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
        assertThat(TraceContext.of(VALID, " ").tracestate()).isNull();
        assertThat(TraceContext.of(VALID, "a=" + "x".repeat(TraceContext.MAX_TRACESTATE))
                        .tracestate())
                .isNull();
        assertThat(TraceContext.of(VALID, "a=" + "x".repeat(TraceContext.MAX_TRACESTATE - 2))
                        .tracestate())
                .isNotNull();
        assertThat(TraceContext.of("garbage", "congo=t61rcWkgMzE")).isNull();
    }
}
