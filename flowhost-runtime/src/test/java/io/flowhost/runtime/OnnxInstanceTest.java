package io.flowhost.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.runtime.options.InstanceOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ONNX model served with no code over the Open Inference Protocol, called over real HTTP. */
class OnnxInstanceTest {

    // The IrisFlow model's probabilities for iris rows 0, 50 and 100, from onnx_check in the fixture.
    static final double[][] EXPECTED = {
        {0.9472655057907104, 0.05270992964506149, 2.4611270418972708e-05},
        {0.014421309344470501, 0.6117395162582397, 0.37383922934532166},
        {0.00019237230299040675, 0.057645589113235474, 0.9421619772911072}
    };
    static final String ROWS = "[5.1, 3.5, 1.4, 0.2, 7.0, 3.2, 4.7, 1.4, 6.3, 3.3, 6.0, 2.5]";

    static Instance instance;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        var model = Path.of(OnnxInstanceTest.class.getResource("/iris.onnx").toURI());
        instance = Instance.serve(InstanceOptions.forOnnx("file:" + model, "iris-onnx"));
    }

    @AfterAll
    static void stop() {
        instance.close();
    }

    static HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Test
    void theModelsMetadataNamesItsTensorsWithTheirTypesAndShapes() throws Exception {
        var response = send("GET", "/v2/models/iris-onnx", null);

        assertThat(response.statusCode()).isEqualTo(200);
        var metadata = json(response);
        assertThat(metadata.path("name").asText()).isEqualTo("iris-onnx");
        assertThat(metadata.path("platform").asText()).isEqualTo("onnxruntime_onnx");
        assertThat(metadata.path("inputs").path(0).path("name").asText()).isEqualTo("features");
        assertThat(metadata.path("inputs").path(0).path("datatype").asText()).isEqualTo("FP32");
        assertThat(metadata.path("inputs").path(0).path("shape").toString()).isEqualTo("[-1,4]");
        assertThat(metadata.path("outputs").path(0).path("name").asText()).isEqualTo("probabilities");
    }

    @Test
    void aBatchIsInferredWithTheTrainedModelsProbabilities() throws Exception {
        var response = send("POST", "/v2/models/iris-onnx/infer", """
                {"id": "batch-1", "inputs": [{"name": "features", "shape": [3, 4], "datatype": "FP32", "data": %s}]}""".formatted(ROWS));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var answer = json(response);
        assertThat(answer.path("model_name").asText()).isEqualTo("iris-onnx");
        assertThat(answer.path("id").asText()).isEqualTo("batch-1");
        var output = answer.path("outputs").path(0);
        assertThat(output.path("name").asText()).isEqualTo("probabilities");
        assertThat(output.path("shape").toString()).isEqualTo("[3,3]");
        for (int i = 0; i < 9; i++) {
            assertThat(output.path("data").path(i).asDouble()).isCloseTo(EXPECTED[i / 3][i % 3], within(1e-5));
        }
    }

    @Test
    void aShapeThatDoesNotFitIs400NamingTheTensor() throws Exception {
        var response = send("POST", "/v2/models/iris-onnx/infer", """
                {"inputs": [{"name": "features", "shape": [1, 5], "datatype": "FP32", "data": [1, 2, 3, 4, 5]}]}""");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).path("detail").asText())
                .contains("'features'")
                .contains("[-1, 4]");
        assertThat(json(response).path("error").asText())
                .isEqualTo(json(response).path("detail").asText());
    }

    @Test
    void aWrongDatatypeIs400NamingTheTensor() throws Exception {
        var response = send("POST", "/v2/models/iris-onnx/infer", """
                {"inputs": [{"name": "features", "shape": [1, 4], "datatype": "INT64", "data": [1, 2, 3, 4]}]}""");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("detail").asText())
                .contains("'features'")
                .contains("FP32");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        var response = send("POST", "/v2/models/iris-onnx/infer", "{\"inputs\": [");

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void theHealthRoutesAnswer() throws Exception {
        assertThat(json(send("GET", "/v2/health/live", null)).path("live").asBoolean())
                .isTrue();
        assertThat(json(send("GET", "/v2/health/ready", null)).path("ready").asBoolean())
                .isTrue();
        assertThat(json(send("GET", "/v2/models/iris-onnx/ready", null))
                        .path("ready")
                        .asBoolean())
                .isTrue();
        assertThat(send("GET", "/readyz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void anotherModelsNameIs404AndAWrongMethod405() throws Exception {
        assertThat(send("GET", "/v2/models/other", null).statusCode()).isEqualTo(404);
        var response = send("GET", "/v2/models/iris-onnx/infer", null);
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void aModelThatCannotBeLoadedStopsTheInstanceAtStartNamingIt(@TempDir Path dir) throws Exception {
        var garbage = Files.writeString(dir.resolve("broken.onnx"), "not a model");

        assertThatThrownBy(() -> Instance.serve(InstanceOptions.forOnnx("file:" + garbage, "broken")))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("cannot load the model file:" + garbage);
    }
}
