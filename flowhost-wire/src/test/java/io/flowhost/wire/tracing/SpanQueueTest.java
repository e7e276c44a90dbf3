package io.flowhost.wire.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A busy process keeps its spans while the collector is slow for a moment: the export queue holds
 * thousands of spans, where the SDK's default (2,048) dropped a tenth of them under load; and when
 * the queue does fill, each span dropped is counted.
 */
class SpanQueueTest {

    private StallingCollector collector;

    @BeforeEach
    void startSlowCollector() throws IOException {
        collector = new StallingCollector();
    }

    @AfterEach
    void stopCollector() {
        collector.close();
    }

    @Test
    void spansEndedWhileTheCollectorStallsAreAllExportedOnceItAnswers() throws Exception {
        int whileStalled = 10_000;
        try (var tracing = Tracing.fromEnvironment("span-queue-test")) {
            assertThat(tracing.enabled()).isTrue();
            tracing.tracer().spanBuilder("first").startSpan().end();
            collector.awaitFirstExport();

            for (int i = 0; i < whileStalled; i++) {
                tracing.tracer().spanBuilder("call " + i).startSpan().end();
            }
            collector.answer();
        } // close() exports what is queued

        assertThat(collector.received()).isEqualTo(1 + whileStalled);
    }

    /** The SDK's default internal telemetry ("legacy"), and the semantic conventions' it can be switched to. */
    @ParameterizedTest(name = "{0} SDK telemetry")
    @ValueSource(strings = {"legacy", "latest"})
    void everySpanAFullQueueDropsIsCounted(String telemetry) throws Exception {
        collector.set("otel.bsp.max.queue.size", "16");
        collector.set("otel.bsp.max.export.batch.size", "8");
        collector.set("otel.experimental.sdk.telemetry.version", telemetry);
        int whileStalled = 1_000;
        long dropped;
        try (var tracing = Tracing.fromEnvironment("span-queue-test")) {
            tracing.tracer().spanBuilder("first").startSpan().end();
            collector.awaitFirstExport();
            assertThat(tracing.spansDropped()).isZero();

            for (int i = 0; i < whileStalled; i++) {
                tracing.tracer().spanBuilder("call " + i).startSpan().end();
            }
            dropped = tracing.spansDropped(); // final: a span is dropped as it ends, if ever
            collector.answer();
        } // close() exports what is queued

        assertThat(dropped).isPositive();
        assertThat(collector.received() + dropped).as("received + dropped").isEqualTo(1 + whileStalled);
    }

    @Test
    void closingDoesNotWaitLongForACollectorThatDoesNotAnswer() throws Exception {
        var tracing = Tracing.fromEnvironment("span-queue-test");
        tracing.tracer().spanBuilder("held").startSpan().end();
        collector.awaitFirstExport(); // the collector holds this export and answers nothing
        tracing.tracer().spanBuilder("left").startSpan().end();

        long started = System.nanoTime();
        tracing.close();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        // The SDK's own close would wait out its 10 s; an instance being stopped has 10 s in all.
        assertThat(tookMillis).isBetween(Tracing.CLOSE_WAIT_SECONDS * 1_000L - 100, 6_000L);
    }
}
