package io.flowhost.runtime.tracing;

import static io.flowhost.runtime.TestHttp.request;
import static io.flowhost.runtime.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.flowhost.runtime.Instance;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.runtime.predictions.PredictionSettings;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ONNX instance traces each inference as an endpoint call is traced, exporting to an
 * OTLP/HTTP receiver run here: a SERVER span {@code infer <model>} under the caller's span.
 */
class InferenceTracingTest {

    static final List<String> PROPERTIES = List.of(
            "otel.exporter.otlp.endpoint",
            "otel.traces.exporter",
            "otel.exporter.otlp.protocol",
            "otel.bsp.schedule.delay");
    static final String INFER = """
            {"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}""";

    @TempDir
    Path predictionsDir;

    HttpServer receiver;
    final List<Span> spans = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            try (exchange) {
                var export = ExportTraceServiceRequest.parseFrom(
                        exchange.getRequestBody().readAllBytes());
                export.getResourceSpansList()
                        .forEach(resource ->
                                resource.getScopeSpansList().forEach(scope -> spans.addAll(scope.getSpansList())));
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
        // Tracing.fromEnvironment reads system properties as the instance process reads those its server passes on.
        System.setProperty(
                "otel.exporter.otlp.endpoint",
                "http://127.0.0.1:" + receiver.getAddress().getPort());
        System.setProperty("otel.traces.exporter", "otlp");
        System.setProperty("otel.exporter.otlp.protocol", "http/protobuf");
        System.setProperty("otel.bsp.schedule.delay", "100");
    }

    @AfterEach
    void stopReceiver() {
        PROPERTIES.forEach(System::clearProperty);
        receiver.stop(0);
    }

    private Instance serve() throws Exception {
        var model = Path.of(InferenceTracingTest.class.getResource("/iris.onnx").toURI());
        return Instance.serve(InstanceOptions.forOnnx("file:" + model, "iris-onnx")
                .withPredictions(PredictionSettings.defaults()
                        .withDeployment("iris-onnx-v1")
                        .withLogDir(predictionsDir)));
    }

    @Test
    void anInferenceIsAServerSpanUnderTheCallersTraceparent() throws Exception {
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var callerSpan = "00f067aa0ba902b7";
        try (var instance = serve()) {
            var response = send(request(instance.port(), "/v2/models/iris-onnx/infer")
                    .header("Content-Type", "application/json")
                    .header("X-Request-Id", "traced-1")
                    .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                    .POST(BodyPublishers.ofString(INFER)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } // closing exports the spans still waiting

        var infer = span("infer iris-onnx");
        assertThat(hex(infer.getTraceId().toByteArray())).isEqualTo(traceId);
        assertThat(hex(infer.getParentSpanId().toByteArray())).isEqualTo(callerSpan);
        assertThat(infer.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(attribute(infer, "flowhost.service")).isEqualTo("iris-onnx");
        assertThat(attribute(infer, "flowhost.endpoint")).isEqualTo("infer");
        assertThat(attribute(infer, "flowhost.request_id")).isEqualTo("traced-1");
        assertThat(attribute(infer, "url.path")).isEqualTo("/v2/models/iris-onnx/infer");
        assertThat(attribute(infer, "http.response.status_code")).isEqualTo("200");
    }

    @Test
    void anInferenceWithoutTraceparentStartsATraceThatItsPredictionNames() throws Exception {
        try (var instance = serve()) {
            var response = send(request(instance.port(), "/v2/models/iris-onnx/infer")
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString(INFER)));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } // closing writes the predictions waiting, too

        var infer = span("infer iris-onnx");
        assertThat(infer.getParentSpanId().isEmpty()).isTrue();
        var prediction = new ObjectMapper().readTree(onlyPrediction());
        assertThat(prediction.path("endpoint").asText()).isEqualTo("infer");
        assertThat(prediction.path("traceId").asText())
                .isEqualTo(hex(infer.getTraceId().toByteArray()));
    }

    private Span span(String name) {
        var named = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertThat(named)
                .as(
                        "spans named '%s' among %s",
                        name, spans.stream().map(Span::getName).toList())
                .hasSize(1);
        return named.getFirst();
    }

    private String onlyPrediction() throws IOException {
        try (var files = Files.walk(predictionsDir)) {
            var lines = new ArrayList<String>();
            for (var file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                lines.addAll(Files.readAllLines(file));
            }
            assertThat(lines).hasSize(1);
            return lines.getFirst();
        }
    }

    private static String attribute(Span span, String key) {
        return span.getAttributesList().stream()
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
