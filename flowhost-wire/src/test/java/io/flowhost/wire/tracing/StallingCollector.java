package io.flowhost.wire.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/HTTP collector on loopback that counts the spans it receives and stalls on its first
 * export until {@link #answer()}; until it is closed, this JVM's {@code otel.*} system properties
 * send traces to it, as a server passes them on to its instances.
 */
public final class StallingCollector implements AutoCloseable {

    private final HttpServer server;
    private final List<String> properties = new ArrayList<>();
    private final AtomicInteger received = new AtomicInteger();
    private final CountDownLatch firstExport = new CountDownLatch(1);
    private final CountDownLatch back = new CountDownLatch(1);

    public StallingCollector() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                var export = ExportTraceServiceRequest.parseFrom(
                        exchange.getRequestBody().readAllBytes());
                export.getResourceSpansList()
                        .forEach(resource -> resource.getScopeSpansList()
                                .forEach(scope -> received.addAndGet(scope.getSpansCount())));
                firstExport.countDown();
                back.await(10, TimeUnit.SECONDS); // only the first export waits: later ones find it counted down
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        set(
                "otel.exporter.otlp.endpoint",
                "http://127.0.0.1:" + server.getAddress().getPort());
        set("otel.traces.exporter", "otlp");
        set("otel.bsp.schedule.delay", "50");
    }

    /** Sets a tracing setting as a system property, cleared again on {@link #close()}. */
    public void set(String property, String value) {
        properties.add(property);
        System.setProperty(property, value);
    }

    /** Waits for the first export, which the collector now holds. */
    public void awaitFirstExport() throws InterruptedException {
        assertThat(firstExport.await(10, TimeUnit.SECONDS))
                .as("the first export reached the collector")
                .isTrue();
    }

    /** Answers the export held and every later one at once. */
    public void answer() {
        back.countDown();
    }

    /** Spans received so far. */
    public int received() {
        return received.get();
    }

    @Override
    public void close() {
        back.countDown();
        properties.forEach(System::clearProperty);
        server.stop(0);
    }
}
