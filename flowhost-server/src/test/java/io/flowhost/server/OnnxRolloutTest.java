package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A zero-code ONNX model rolls out like a service: as a canary, promoted, or as a shadow compared within a tolerance. */
@Tag("e2e")
class OnnxRolloutTest {

    private static final String INFER = """
            {"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [[5.1, 3.5, 1.4, 0.2]]}]}""";

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(settings -> settings.withMetaflow(TestJars.irisDatastore()));

    Http http;

    @BeforeEach
    void primary() {
        http = flowhost.http();
        assertThat(deploy("{}").statusCode()).isEqualTo(201);
    }

    @Test
    void anOnnxCanaryAnswersItsShareAndIsPromoted() {
        var canary = deploy("{\"canary\": \"50\"}");
        assertThat(canary.statusCode()).as(canary.body()).isEqualTo(201);
        assertThat(Http.json(canary).path("variant").asText()).isEqualTo("canary");

        for (int i = 0; i < 40; i++) {
            var answer = http.postJson("/v2/models/iris-onnx/infer", INFER);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }

        var status = Http.json(http.get("/v1/rollouts/iris-onnx"));
        var v1 = status.path("versions").path(0);
        var v2 = status.path("versions").path(1);
        assertThat(v1.path("deployment").asText()).isEqualTo("iris-onnx-v1");
        assertThat(v2.path("deployment").asText()).isEqualTo("iris-onnx-v2");
        assertThat(v1.path("calls").asLong() + v2.path("calls").asLong()).isEqualTo(40);
        assertThat(v2.path("calls").asLong())
                .as("the canary's share of 40 calls at 50%%")
                .isBetween(5L, 35L);
        assertThat(v2.path("runs").path("IrisFlow").asText()).isEqualTo("IrisFlow/1795691852170532");

        var promoted =
                http.send(http.request("/v1/rollouts/iris-onnx/promote").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(Http.json(promoted).path("state").asText()).isEqualTo("promoted");
        assertThat(http.postJson("/v2/models/iris-onnx/infer", INFER).statusCode())
                .isEqualTo(200);
        assertThat(Http.json(http.get("/v1/deployments/iris-onnx-v1"))
                        .path("state")
                        .asText())
                .isEqualTo("retired");
    }

    @Test
    void anOnnxShadowOfTheSameModelAgreesWithinTheTolerance() {
        assertThat(deploy("{\"shadow\": \"100\", \"tolerance\": \"0.00001\"}").statusCode())
                .isEqualTo(201);

        for (int i = 0; i < 20; i++) {
            assertThat(http.postJson("/v2/models/iris-onnx/infer", INFER).statusCode())
                    .isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var shadow = Http.json(http.get("/v1/rollouts/iris-onnx"))
                    .path("versions")
                    .path(1);
            return shadow.path("compared").asLong() + shadow.path("dropped").asLong() == 20;
        });
        var shadow =
                Http.json(http.get("/v1/rollouts/iris-onnx")).path("versions").path(1);
        assertThat(shadow.path("compared").asLong()).isPositive();
        assertThat(shadow.path("agreement").asDouble()).isEqualTo(1.0);
    }

    private HttpResponse<String> deploy(String scaling) {
        return http.send(http.request("/v1/deployments")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"onnx\": \"metaflow://IrisFlow/latest/end/model_onnx\","
                        + " \"name\": \"iris-onnx\", \"scaling\": " + scaling + "}")));
    }
}
