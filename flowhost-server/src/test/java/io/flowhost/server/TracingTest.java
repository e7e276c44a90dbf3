package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces end to end: the gateway and a real instance export to an OTLP/HTTP receiver run here,
 * and their spans form one trace across the two processes, under the caller's span when it sent
 * {@code traceparent}; an async call's run, later, joins the trace it was accepted in.
 */
@Tag("e2e")
class TracingTest {

    /** A span as received, with the service.name of the resource that sent it. */
    record Received(String service, Span span) {
        String traceId() {
            return hex(span.getTraceId().toByteArray());
        }

        String spanId() {
            return hex(span.getSpanId().toByteArray());
        }

        String parentId() {
            return hex(span.getParentSpanId().toByteArray());
        }
    }

    static final List<String> PROPERTIES = List.of(
            "otel.exporter.otlp.endpoint",
            "otel.traces.exporter",
            "otel.exporter.otlp.protocol",
            "otel.bsp.schedule.delay");

    @TempDir
    Path dataDir;

    HttpServer receiver;
    final List<Received> spans = new CopyOnWriteArrayList<>();
    final List<String> contentTypes = new CopyOnWriteArrayList<>();
    FlowhostServer server;
    Http http;

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            try (exchange) {
                contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                var request = ExportTraceServiceRequest.parseFrom(
                        exchange.getRequestBody().readAllBytes());
                for (var resourceSpans : request.getResourceSpansList()) {
                    var service = resourceSpans.getResource().getAttributesList().stream()
                            .filter(a -> a.getKey().equals("service.name"))
                            .map(a -> a.getValue().getStringValue())
                            .findFirst()
                            .orElse("?");
                    for (var scopeSpans : resourceSpans.getScopeSpansList()) {
                        for (var span : scopeSpans.getSpansList()) {
                            spans.add(new Received(service, span));
                        }
                    }
                }
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
        // The server runs in this JVM: system properties configure it, and it passes them on to its instances.
        System.setProperty(
                "otel.exporter.otlp.endpoint",
                "http://127.0.0.1:" + receiver.getAddress().getPort());
        System.setProperty("otel.traces.exporter", "otlp");
        System.setProperty("otel.exporter.otlp.protocol", "http/protobuf");
        System.setProperty("otel.bsp.schedule.delay", "100");
        server = FlowhostServer.start(TestSettings.defaults(dataDir));
        http = new Http(server.uri());
    }

    @AfterEach
    void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            PROPERTIES.forEach(System::clearProperty);
            receiver.stop(0);
        }
    }

    @Test
    void aCallIsOneTraceAcrossTheGatewayAndTheInstanceUnderTheCallersSpan() {
        assertThat(http.deploy(TestJars.exampleBytes("echo")).statusCode()).isEqualTo(201);
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var callerSpan = "00f067aa0ba902b7";

        var response = http.send(http.request("/v1/services/echo/echo")
                .header("Content-Type", "application/json")
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .POST(HttpRequest.BodyPublishers.ofString("{\"traced\": true}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        var handler = awaitSpan(traceId, "handler echo");
        var gateway = span(traceId, "POST /v1/services/echo/echo");
        assertThat(gateway.service()).isEqualTo("flowhost-gateway");
        assertThat(gateway.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(gateway.parentId()).isEqualTo(callerSpan);
        assertThat(handler.service()).isEqualTo("flowhost-echo");
        assertThat(handler.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(handler.parentId()).isEqualTo(gateway.spanId());
        assertThat(spans.stream()
                        .filter(s -> s.traceId().equals(traceId))
                        .map(Received::service)
                        .distinct())
                .containsExactlyInAnyOrder("flowhost-gateway", "flowhost-echo");
        assertThat(attribute(gateway, "flowhost.service")).isEqualTo("echo");
        assertThat(attribute(gateway, "flowhost.endpoint")).isEqualTo("echo");
        assertThat(attribute(gateway, "http.response.status_code")).isEqualTo("200");
        // a hold, if the call came before the instance was ready, is the gateway span's child
        spans.stream()
                .filter(s -> s.traceId().equals(traceId) && s.span().getName().equals("activator hold"))
                .forEach(hold -> assertThat(hold.parentId()).isEqualTo(gateway.spanId()));
        assertThat(contentTypes).allMatch(type -> type.startsWith("application/x-protobuf"));
    }

    @Test
    void anAsyncRunJoinsTheTraceItsCallWasAcceptedIn() throws IOException {
        assertThat(http.deploy(TestJars.exampleBytes("echo")).statusCode()).isEqualTo(201);
        var traceId = "5cf92f3577b34da6a3ce929d0e0e4737";
        var callerSpan = "10f067aa0ba902b8";

        var accepted = http.send(http.request("/v1/services/echo/echo")
                .header("Content-Type", "application/json")
                .header("Prefer", "respond-async")
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .header("tracestate", "congo=t61rcWkgMzE")
                .POST(HttpRequest.BodyPublishers.ofString("{\"later\": true}")));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var id = Http.json(accepted).path("id").asText();
        assertThat(Http.json(accepted).path("traceId").asText()).isEqualTo(traceId);
        var done = Http.json(http.get("/v1/requests/" + id + "?wait=30s"));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("traceId").asText()).isEqualTo(traceId);

        // caller → the gateway's 202 → (queued) → the run's gateway span → queue wait, and the instance's span
        var handler = awaitSpan(traceId, "handler echo");
        var accept = gatewaySpan(traceId, false);
        var run = gatewaySpan(traceId, true);
        var queueWait = span(traceId, "queue wait");
        assertThat(attribute(accept, "http.response.status_code")).isEqualTo("202");
        assertThat(accept.parentId()).isEqualTo(callerSpan);
        assertThat(attribute(run, "flowhost.async_request_id")).isEqualTo(id);
        assertThat(run.parentId()).isEqualTo(accept.spanId());
        assertThat(run.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(queueWait.parentId()).isEqualTo(run.spanId());
        assertThat(handler.parentId()).isEqualTo(run.spanId());
        assertThat(handler.service()).isEqualTo("flowhost-echo");
        // the queue wait covers accepting to dispatching (to the millisecond the queue keeps)
        assertThat(queueWait.span().getStartTimeUnixNano())
                .isGreaterThanOrEqualTo(accept.span().getStartTimeUnixNano() - 5_000_000);
        assertThat(queueWait.span().getEndTimeUnixNano())
                .isLessThanOrEqualTo(run.span().getEndTimeUnixNano());
        // the caller's tracestate went through the queue and on to the instance
        assertThat(List.of(accept, run, queueWait, handler))
                .allSatisfy(s -> assertThat(s.span().getTraceState()).isEqualTo("congo=t61rcWkgMzE"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(requestLog()).anySatisfy(line -> {
                    assertThat(line.path("mode").asText()).isEqualTo("async-run");
                    assertThat(line.path("traceId").asText()).isEqualTo(traceId);
                }));
    }

    @Test
    void aCallWithoutTraceparentStartsATraceOfTheSameShape() {
        assertThat(http.deploy(TestJars.exampleBytes("echo")).statusCode()).isEqualTo(201);

        var response = http.postJson("/v1/services/echo/echo", "{\"new\": \"trace\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        var handler = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> spans.stream()
                                .filter(s -> s.span().getName().equals("handler echo"))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        var gateway = span(handler.traceId(), "POST /v1/services/echo/echo");
        assertThat(gateway.parentId()).isEmpty();
        assertThat(gateway.service()).isEqualTo("flowhost-gateway");
        assertThat(handler.service()).isEqualTo("flowhost-echo");
        assertThat(handler.parentId()).isEqualTo(gateway.spanId());
    }

    @Test
    void metricsCountTheSpansTheGatewayAndEachInstanceDropped() throws Exception {
        assertThat(http.deploy(TestJars.exampleBytes("echo")).statusCode()).isEqualTo(201);
        assertThat(http.postJson("/v1/services/echo/echo", "{}").statusCode()).isEqualTo(200);

        var text = http.get("/metrics").body();

        assertThat(text)
                .contains("# TYPE flowhost_spans_dropped_total counter")
                .contains("flowhost_spans_dropped_total{instance=\"\",process=\"gateway\",service=\"\"} 0.0")
                .contains(
                        "flowhost_spans_dropped_total{instance=\"echo-v1-1\",process=\"instance\",service=\"echo\"} 0.0");
        assertThat(ObservabilityTest.promtoolCheck(text))
                .as("promtool check metrics")
                .isEmpty();
    }

    private Received awaitSpan(String traceId, String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> find(traceId, name) != null);
        return find(traceId, name);
    }

    /** The span, waiting for it: the gateway's may be exported a little after the instance's. */
    private Received span(String traceId, String name) {
        return awaitSpan(traceId, name);
    }

    /** The gateway's span of the dispatcher's run of an async request, or of the call that queued it. */
    private Received gatewaySpan(String traceId, boolean run) {
        await().atMost(Duration.ofSeconds(20)).until(() -> findGateway(traceId, run) != null);
        return findGateway(traceId, run);
    }

    private Received findGateway(String traceId, boolean run) {
        return spans.stream()
                .filter(s -> s.traceId().equals(traceId)
                        && s.span().getName().equals("POST /v1/services/echo/echo")
                        && (attribute(s, "flowhost.async_request_id") != null) == run)
                .findFirst()
                .orElse(null);
    }

    private List<JsonNode> requestLog() throws IOException {
        var json = new ObjectMapper();
        var lines = new ArrayList<JsonNode>();
        for (var line : Files.readAllLines(dataDir.resolve("logs/requests.log"))) {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    private Received find(String traceId, String name) {
        return spans.stream()
                .filter(s -> s.traceId().equals(traceId) && s.span().getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    private static String attribute(Received span, String key) {
        return span.span().getAttributesList().stream()
                .filter(a -> a.getKey().equals(key))
                .findFirst()
                .map(a -> a.getValue().hasIntValue()
                        ? Long.toString(a.getValue().getIntValue())
                        : a.getValue().getStringValue())
                .orElse(null);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
