package io.flowhost.runtime.tracing;

import static io.flowhost.runtime.TestHttp.get;
import static io.flowhost.runtime.TestHttp.json;
import static io.flowhost.runtime.TestHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.runtime.Instance;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import io.flowhost.wire.tracing.StallingCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A traced instance's {@code /healthz} reports the spans it dropped, for the server's metrics. */
class HealthSpansTest {

    @Service(name = "echo")
    public static class Echo {

        @Endpoint
        public Map<String, Object> echo(Map<String, Object> body) {
            return body;
        }
    }

    @Test
    void healthCountsTheSpansDroppedWhileTheCollectorStalls() throws Exception {
        int whileStalled = 100;
        long dropped;
        try (var collector = new StallingCollector()) {
            collector.set("otel.bsp.max.queue.size", "16");
            collector.set("otel.bsp.max.export.batch.size", "8");
            try (var instance = Instance.serve(InstanceOptions.forClass(Echo.class))) {
                assertThat(json(get(instance.port(), "/healthz"))
                                .path("spans")
                                .path("dropped")
                                .asLong(-1))
                        .isZero();
                assertThat(post(instance.port(), "/v1/services/echo/echo", "{}").statusCode())
                        .isEqualTo(200);
                collector.awaitFirstExport();

                for (int i = 0; i < whileStalled; i++) {
                    // a call's span ends just before its answer is written, so it is queued or dropped by now
                    assertThat(post(instance.port(), "/v1/services/echo/echo", "{}")
                                    .statusCode())
                            .isEqualTo(200);
                }
                dropped = json(get(instance.port(), "/healthz"))
                        .path("spans")
                        .path("dropped")
                        .asLong(-1);
                collector.answer();
            } // closing exports what is queued

            assertThat(dropped).isPositive();
            assertThat(collector.received() + dropped).as("received + dropped").isEqualTo(1 + whileStalled);
        }
    }
}
