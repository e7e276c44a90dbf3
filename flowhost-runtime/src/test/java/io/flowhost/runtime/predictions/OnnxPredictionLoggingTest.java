package io.flowhost.runtime.predictions;

import static io.flowhost.runtime.TestHttp.request;
import static io.flowhost.runtime.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowhost.runtime.Instance;
import io.flowhost.runtime.options.InstanceOptions;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real ONNX instance logs its inferences as predictions of endpoint {@code infer}, read back after it stops. */
class OnnxPredictionLoggingTest {

    static final String INFER = """
            {"id": "row-0", "inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32",
             "data": [5.1, 3.5, 1.4, 0.2]}]}""";

    @TempDir
    Path dir;

    private static HttpResponse<String> infer(int port, String body, String requestId, String traceparent) {
        var request = request(port, "/v2/models/iris-onnx/infer")
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId);
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return send(request.POST(BodyPublishers.ofString(body)));
    }

    private List<JsonNode> servedAndLogged(IntConsumer calls) throws Exception {
        var model = Path.of(
                OnnxPredictionLoggingTest.class.getResource("/iris.onnx").toURI());
        var options = InstanceOptions.forOnnx("file:" + model, "iris-onnx")
                .withPredictions(PredictionSettings.defaults()
                        .withDeployment("iris-onnx-v2")
                        .withLogDir(dir));
        try (var instance = Instance.serve(options)) {
            calls.accept(instance.port());
        } // closing flushes the predictions waiting
        return JsonLines.all(dir);
    }

    @Test
    void anInferenceIsLoggedWithRequestResponseStatusLatencyRequestIdAndTheCallersTraceId() throws Exception {
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var logged = servedAndLogged(
                port -> assertThat(infer(port, INFER, "infer-ok", "00-" + traceId + "-00f067aa0ba902b7-01")
                                .statusCode())
                        .isEqualTo(200));

        assertThat(logged).hasSize(1);
        var line = logged.getFirst();
        assertThat(line.get("deployment").asText()).isEqualTo("iris-onnx-v2");
        assertThat(line.get("service").asText()).isEqualTo("iris-onnx");
        assertThat(line.get("endpoint").asText()).isEqualTo("infer");
        assertThat(line.get("requestId").asText()).isEqualTo("infer-ok");
        assertThat(line.get("traceId").asText()).isEqualTo(traceId);
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("latencyMs").asDouble()).isPositive();
        assertThat(line.get("request").path("inputs").path(0).path("data").size())
                .isEqualTo(4);
        assertThat(line.get("response").path("id").asText()).isEqualTo("row-0");
        assertThat(line.get("response").path("outputs").path(0).path("name").asText())
                .isEqualTo("probabilities");
    }

    @Test
    void anInferenceWithoutTraceparentIsLoggedWithNoTraceId() throws Exception {
        var logged = servedAndLogged(port ->
                assertThat(infer(port, INFER, "untraced", null).statusCode()).isEqualTo(200));

        assertThat(logged)
                .singleElement()
                .satisfies(line -> assertThat(line.get("traceId").isNull()).isTrue());
    }

    @Test
    void aBodyThatIsNotTheModelsInputIsNotAPrediction() throws Exception {
        var logged = servedAndLogged(port -> {
            assertThat(infer(port, "{\"inputs\": [", "malformed", null).statusCode())
                    .isEqualTo(400);
            assertThat(infer(port, INFER.replace("FP32", "INT64"), "wrong-type", null)
                            .statusCode())
                    .isEqualTo(400);
        });

        assertThat(logged).isEmpty();
    }
}
