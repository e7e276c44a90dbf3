package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A deployment's predictions logged to JSON Lines files under the data dir, for the next training run. */
@Tag("e2e")
class PredictionLoggingTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(settings -> settings.withMetaflow(TestJars.irisDatastore()));

    Http http;
    Path dataDir;

    @BeforeEach
    void client() {
        http = flowhost.http();
        dataDir = flowhost.dataDir();
    }

    @Test
    void aDeploymentWithASampleRateLogsItsPredictionsForTraining() throws Exception {
        assertThat(http.deploy(TestJars.exampleBytes("echo"), "?prediction-sample-rate=1")
                        .statusCode())
                .isEqualTo(201);

        assertThat(http.postJson("/v1/services/echo/echo", "{\"feature\": 42}").statusCode())
                .isEqualTo(200);

        var dir = dataDir.resolve("predictions/echo-v1");
        await().atMost(Duration.ofSeconds(10)).until(() -> jsonl(dir).anyMatch(l -> l.contains("\"feature\":42")));
        var line =
                jsonl(dir).filter(l -> l.contains("\"feature\":42")).findFirst().orElseThrow();
        assertThat(line)
                .contains("\"deployment\":\"echo-v1\"")
                .contains("\"endpoint\":\"echo\"")
                .contains("\"status\":200")
                .contains("\"response\":{\"feature\":42}");
    }

    @Test
    void anOnnxDeploymentWithASampleRateLogsItsInferencesWithTheCallersTraceId() throws Exception {
        var settings = TestSettings.defaults(dataDir).withMetaflow(TestJars.irisDatastore());
        var deployed = http.send(http.request("/v1/deployments?prediction-sample-rate=1")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"onnx\": \"metaflow://IrisFlow/latest/end/model_onnx\", \"name\": \"iris-onnx\"}")));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

        var response = http.send(http.request("/v2/models/iris-onnx/infer")
                .header("Content-Type", "application/json")
                .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32",
                         "data": [5.1, 3.5, 1.4, 0.2]}]}""")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        var dir = dataDir.resolve("predictions/iris-onnx-v1");
        await().atMost(Duration.ofSeconds(10)).until(() -> jsonl(dir).findAny().isPresent());
        assertThat(jsonl(dir).toList())
                .singleElement()
                .asString()
                .contains("\"endpoint\":\"infer\"")
                .contains("\"status\":200")
                .contains("\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"")
                .contains("\"name\":\"probabilities\"");
    }

    @Test
    void aSampleRateOutOfRangeIsRefused() {

        var response = http.deploy(TestJars.exampleBytes("echo"), "?prediction-sample-rate=1.5");

        assertProblem(response, 400, "invalid-settings");
        assertThat(Http.json(response).path("detail").asText())
                .contains("prediction-sample-rate: 1.5")
                .contains("0..1");
    }

    private static Stream<String> jsonl(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return Stream.empty();
        }
        try (var files = Files.walk(dir)) {
            var lines = new ArrayList<String>();
            for (var file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                lines.addAll(Files.readAllLines(file));
            }
            return lines.stream();
        }
    }
}
