package io.flowhost.runtime.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A busy process keeps its spans while the collector is slow for a moment: the export queue holds
 * thousands of spans, where the SDK's default (2,048) dropped a tenth of them under load.
 */
class SpanQueueTest {

    private static final List<String> PROPERTIES = List.of("otel.exporter.otlp.endpoint", "otel.traces.exporter",
            "otel.bsp.schedule.delay");

    private HttpServer receiver;
    private final AtomicInteger received = new AtomicInteger();
    private final CountDownLatch firstExport = new CountDownLatch(1);
    private final CountDownLatch collectorBack = new CountDownLatch(1);

    @BeforeEach
    void startSlowReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            try (exchange) {
                var export = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
                export.getResourceSpansList().forEach(resource -> resource.getScopeSpansList()
                        .forEach(scope -> received.addAndGet(scope.getSpansCount())));
                firstExport.countDown();
                collectorBack.await(10, TimeUnit.SECONDS);   // the collector stalls on its first export
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        receiver.start();
        System.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + receiver.getAddress().getPort());
        System.setProperty("otel.traces.exporter", "otlp");
        System.setProperty("otel.bsp.schedule.delay", "50");
    }

    @AfterEach
    void stopReceiver() {
        collectorBack.countDown();
        PROPERTIES.forEach(System::clearProperty);
        receiver.stop(0);
    }

    @Test
    void spansEndedWhileTheCollectorStallsAreAllExportedOnceItAnswers() throws Exception {
        int whileStalled = 10_000;
        try (var tracing = Tracing.fromEnvironment("span-queue-test")) {
            assertThat(tracing.enabled()).isTrue();
            tracing.tracer().spanBuilder("first").startSpan().end();
            assertThat(firstExport.await(10, TimeUnit.SECONDS)).as("the first export reached the collector").isTrue();

            for (int i = 0; i < whileStalled; i++) {
                tracing.tracer().spanBuilder("call " + i).startSpan().end();
            }
            collectorBack.countDown();
        }   // close() exports what is queued

        assertThat(received.get()).isEqualTo(1 + whileStalled);
    }
}
