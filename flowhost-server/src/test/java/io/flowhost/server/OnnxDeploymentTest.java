package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Zero-code deployment: the ONNX model of the latest successful IrisFlow run, deployed by reference
 * and called through the gateway over the Open Inference Protocol.
 */
@Tag("e2e")
class OnnxDeploymentTest {

    @RegisterExtension
    static final RunningServer flowhost =
            new RunningServer(settings -> settings.withMetaflow(TestJars.irisDatastore()));

    static Http http;
    static JsonNode deployed;

    @BeforeAll
    static void deploy() {
        http = flowhost.http();
        var response = http.send(http.request("/v1/deployments")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"onnx\": \"metaflow://IrisFlow/latest/end/model_onnx\", \"name\": \"iris-onnx\"}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        deployed = Http.json(response);
    }

    @Test
    void theDeploymentRecordsTheRunItServes() {
        assertThat(deployed.path("model").asText()).isEqualTo("metaflow://IrisFlow/1795691852170532/end/model_onnx");
        assertThat(deployed.path("runs").path("IrisFlow").asText()).isEqualTo("IrisFlow/1795691852170532");
    }

    @Test
    void aBatchedModelAnswersEachCallAndSaysItsBatchAndABadBatchSpecIsRefused() {
        var batched = http.send(http.request("/v1/deployments")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"onnx\": \"metaflow://IrisFlow/latest/end/model_onnx\","
                        + " \"name\": \"iris-batched\", \"batch\": \"max=16,delay=2ms\"}")));
        assertThat(batched.statusCode()).as(batched.body()).isEqualTo(201);
        var response = http.postJson("/v2/models/iris-batched/infer", """
                {"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [[5.1, 3.5, 1.4, 0.2]]}]}""");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Flowhost-Batch-Size")).hasValue("1");
        assertThat(Http.json(response)
                        .path("outputs")
                        .path(0)
                        .path("data")
                        .path(0)
                        .asDouble())
                .isCloseTo(0.9472655057907104, within(1e-5));

        var refused = http.send(http.request("/v1/deployments")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"onnx\": \"metaflow://IrisFlow/latest/end/model_onnx\","
                        + " \"name\": \"iris-batched\", \"batch\": \"max=64,wait=2ms\"}")));
        assertProblem(refused, 400, "invalid-settings");
        assertThat(Http.json(refused).path("detail").asText()).contains("'wait' is neither max nor delay");
    }

    @Test
    void theModelAnswersThroughTheGateway() {
        var response = http.postJson("/v2/models/iris-onnx/infer", """
                {"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [[5.1, 3.5, 1.4, 0.2]]}]}""");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var probabilities = Http.json(response).path("outputs").path(0).path("data");
        assertThat(probabilities.path(0).asDouble()).isCloseTo(0.9472655057907104, within(1e-5));
    }

    @Test
    void theServerAndTheModelReportTheirHealth() {
        assertThat(Http.json(http.get("/v2/health/live")).path("live").asBoolean())
                .isTrue();
        assertThat(Http.json(http.get("/v2/health/ready")).path("ready").asBoolean())
                .isTrue();
        assertThat(Http.json(http.get("/v2/models/iris-onnx/ready"))
                        .path("ready")
                        .asBoolean())
                .isTrue();
        assertThat(Http.json(http.get("/v2/models/iris-onnx"))
                        .path("inputs")
                        .path(0)
                        .path("name")
                        .asText())
                .isEqualTo("features");
    }

    @Test
    void aShapeMismatchThroughTheGatewayIs400NamingTheTensor() {
        var response = http.postJson("/v2/models/iris-onnx/infer", """
                {"inputs": [{"name": "features", "shape": [1, 3], "datatype": "FP32", "data": [5.1, 3.5, 1.4]}]}""");

        assertProblem(response, 400, "bad-request");
        assertThat(Http.json(response).path("error").asText()).contains("'features'");
    }

    @Test
    void anUnknownModelIs404AndTheModelIsNotAServiceEndpoint() {
        assertProblem(http.get("/v2/models/nope"), 404, "not-found");
        var response = http.postJson("/v1/services/iris-onnx/predict", "{}");
        assertProblem(response, 404, "unknown-endpoint");
        assertThat(Http.json(response).path("detail").asText()).contains("/v2/models/iris-onnx/infer");
    }

    @Test
    void aReferenceToAMissingArtifactRefusesTheDeploy() {
        var response = http.send(http.request("/v1/deployments")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"onnx\": \"metaflow://IrisFlow/latest/end/model_onxx\", \"name\": \"typo\"}")));

        assertProblem(response, 422, "invalid-service");
        assertThat(Http.json(response).path("detail").asText())
                .contains("'model_onxx'")
                .contains("model_onnx");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a reference out of the datastore | metaflow://../latest/end/model_onnx       | iris | the flow name '..'",
                "a dot step                       | metaflow://IrisFlow/latest/./model_onnx  | iris | the step name '.'",
                "a model that is no reference     | /models/iris.onnx                        | iris | expected a reference",
                "a name that is not allowed       | metaflow://IrisFlow/latest/end/model_onnx | Iris! | name 'Iris!'",
            })
    void aCallersMistakeInAnOnnxDeployIs400SayingWhat(String what, String model, String name, String says) {
        var response = http.send(http.request("/v1/deployments")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"onnx\": \"" + model + "\", \"name\": \"" + name + "\"}")));

        assertProblem(response, 400, "invalid-settings");
        assertThat(Http.json(response).path("detail").asText()).contains(says).doesNotContain("/work");
    }

    @Test
    void aNonOnnxArtifactFailsToStartNamingTheModel() {
        var response = http.send(http.request("/v1/deployments")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"onnx\": \"metaflow://IrisFlow/latest/end/class_names\", \"name\": \"not-a-model\"}")));

        assertProblem(response, 422, "invalid-service");
        assertThat(Http.json(response).path("detail").asText()).contains("class_names");
    }
}
