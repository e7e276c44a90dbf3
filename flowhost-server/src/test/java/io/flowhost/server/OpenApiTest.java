package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI 3.1 documents the gateway serves, from real deployments (a service whose endpoints take and return
 * records, one that streams, an ONNX model), each validated by swagger-parser.
 */
@Tag("e2e")
class OpenApiTest {

    @RegisterExtension
    static final RunningServer flowhost =
            new RunningServer(settings -> settings.withMetaflow(TestJars.irisDatastore()));

    /** Three kinds of deployment, described once for every test. */
    @BeforeAll
    static void deploy() {
        flowhost.deploy(TestJars.exampleBytes("echo"), "?min-instances=0");
        flowhost.deploy(
                TestJars.of(TestServices.Streams.class, TestServices.Ask.class, TestServices.Item.class),
                "?min-instances=0");
        var onnx = flowhost.http()
                .postJson(
                        "/v1/deployments",
                        "{\"onnx\": \"metaflow://IrisFlow/latest/end/model_onnx\", \"name\": \"iris-onnx\"}");
        assertThat(onnx.statusCode()).as(onnx.body()).isEqualTo(201);
    }

    /** The document at {@code path}, after swagger-parser found nothing wrong with it. */
    private static JsonNode valid(String path) {
        var answer = flowhost.http().get(path);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        var options = new ParseOptions();
        options.setResolve(true);
        var parsed = new OpenAPIParser().readContents(answer.body(), null, options);
        assertThat(parsed.getMessages()).as(path).isEmpty();
        assertThat(parsed.getOpenAPI()).isNotNull();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        return Http.json(answer);
    }

    @Test
    void theValidatorFindsWhatIsWrongInADocument() {
        var broken = new OpenAPIParser()
                .readContents(
                        "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"x\"},"
                                + " \"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {}}}}}}",
                        null,
                        new ParseOptions());
        assertThat(broken.getMessages())
                .as("no version, a response without a description")
                .isNotEmpty();
    }

    @Test
    void aServicesDocumentHasItsEndpointsWithTheirSchemasExamplesAndProblems() {
        var doc = valid("/v1/services/streams/openapi.json");

        var stream = doc.path("paths").path("/v1/services/streams/stream").path("post");
        assertThat(stream.path("operationId").asText()).isEqualTo("streams.stream");
        var body = stream.path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema");
        assertThat(body.path("properties").path("count").path("type").asText()).isEqualTo("integer");
        var ok = stream.path("responses").path("200").path("content");
        assertThat(ok.path("application/jsonl")
                        .path("schema")
                        .path("properties")
                        .path("pad")
                        .path("type")
                        .asText())
                .as("a stream is described by its item")
                .isEqualTo("string");
        assertThat(ok.has("text/event-stream")).isTrue();
        assertThat(stream.path("responses").path("202").path("headers").has("Location"))
                .as("the endpoint may be queued")
                .isTrue();
        for (var status : new String[] {"400", "404", "405", "413", "415", "422", "429", "500", "502", "503", "504"}) {
            assertThat(stream.path("responses").path(status).path("$ref").asText())
                    .isEqualTo("#/components/responses/Problem" + status);
        }
        assertThat(doc.path("components")
                        .path("responses")
                        .path("Problem503")
                        .path("content")
                        .has("application/problem+json"))
                .isTrue();
        var produced = doc.path("paths").path("/v1/services/streams/produced");
        assertThat(produced.has("get"))
                .as("an endpoint without a body is a GET")
                .isTrue();
        assertThat(doc.path("paths").has("/v1/requests/{id}")).isTrue();
        assertThat(doc.path("paths").has("/v1/deployments"))
                .as("one service's document: no management")
                .isFalse();

        assertProblem(flowhost.http().get("/v1/services/nope/openapi.json"), 404, "unknown-service");
    }

    @Test
    void theServersDocumentHasEveryServiceTheModelsRoutesAndTheManagementApi() {
        var doc = valid("/v1/openapi.json");

        var echo = doc.path("paths").path("/v1/services/echo/echo").path("post");
        assertThat(echo.path("requestBody")
                        .path("content")
                        .path("application/json")
                        .path("example")
                        .toString())
                .isEqualTo("{\"hello\":\"world\"}");
        assertThat(doc.path("paths").path("/v2/models/iris-onnx/infer").has("post"))
                .isTrue();
        assertThat(doc.path("paths").path("/v2/models/iris-onnx").has("get")).isTrue();
        assertThat(doc.path("paths").path("/v1/deployments").has("post")).isTrue();
        assertThat(doc.path("paths").path("/v1/services/streams/stream").has("post"))
                .isTrue();
    }

    @Test
    void aModelScaledToZeroIsStillDescribedWithItsTensors() {
        var deployed = flowhost.http()
                .postJson(
                        "/v1/deployments" + ScalingTest.QUICK + "&idle-timeout=5s&min-instances=0",
                        "{\"onnx\": \"metaflow://IrisFlow/latest/end/model_onnx\", \"name\": \"iris-idle\"}");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        // described while its first instance is up (it stays for the idle timeout after the deploy)
        assertThat(firstInputName(valid("/v1/services/iris-idle/openapi.json"), "iris-idle"))
                .isEqualTo("features");

        await().atMost(Duration.ofSeconds(60))
                .until(() -> Http.json(flowhost.http().get("/v1/services/iris-idle"))
                        .path("instances")
                        .isEmpty());

        assertThat(firstInputName(valid("/v1/services/iris-idle/openapi.json"), "iris-idle"))
                .as("at zero, as when last seen")
                .isEqualTo("features");
    }

    private static String firstInputName(JsonNode doc, String model) {
        return doc.path("paths")
                .path("/v2/models/" + model + "/infer")
                .path("post")
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema")
                .path("properties")
                .path("inputs")
                .path("items")
                .path("oneOf")
                .path(0)
                .path("properties")
                .path("name")
                .path("const")
                .asText();
    }

    @Test
    void aModelsDocumentHasItsTensorsNamesDatatypesAndShapesAndAnExampleItTakes() {
        var doc = valid("/v1/services/iris-onnx/openapi.json");

        var request = doc.path("paths")
                .path("/v2/models/iris-onnx/infer")
                .path("post")
                .path("requestBody")
                .path("content")
                .path("application/json");
        var tensor = request.path("schema")
                .path("properties")
                .path("inputs")
                .path("items")
                .path("oneOf")
                .path(0)
                .path("properties");
        assertThat(tensor.path("name").path("const").asText()).isEqualTo("features");
        assertThat(tensor.path("datatype").path("const").asText()).isEqualTo("FP32");
        assertThat(tensor.path("shape")
                        .path("prefixItems")
                        .path(1)
                        .path("const")
                        .asInt())
                .as("four features a row; the rows are any number")
                .isEqualTo(4);
        assertThat(tensor.path("shape")
                        .path("prefixItems")
                        .path(0)
                        .path("minimum")
                        .asInt())
                .isEqualTo(1);

        var example = request.path("example");
        var answer = flowhost.http().postJson("/v2/models/iris-onnx/infer", example.toString());
        assertThat(answer.statusCode())
                .as("the example is a request the model takes: " + answer.body())
                .isEqualTo(200);
    }
}
