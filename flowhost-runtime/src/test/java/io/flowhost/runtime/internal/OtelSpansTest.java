package io.flowhost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.sdk.Spans;
import io.flowhost.wire.tracing.Tracing;
import org.junit.jupiter.api.Test;

/** A service's spans cost nothing when tracing is off. */
class OtelSpansTest {

    @Test
    void withTracingOffAServiceGetsTheNoopSpans() {
        assertThat(OtelSpans.of(Tracing.off())).isSameAs(Spans.NOOP);
    }
}
