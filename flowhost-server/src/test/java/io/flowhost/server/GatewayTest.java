package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway over real HTTP, in front of real child-JVM instances of the iris example, the echo
 * example and a service that misbehaves on purpose. Each error test also checks that the server
 * keeps serving afterwards.
 */
@Tag("e2e")
class GatewayTest {

    private static final int MAX_BODY = 1024 * 1024;
    private static final String FLOWER = """
            {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}""";

    @RegisterExtension
    static final RunningServer flowhost = new RunningServer(settings -> settings.withMaxBody(MAX_BODY)
            .withRequestTimeout(Duration.ofMillis(1500))
            .withMetaflow(TestJars.irisDatastore()));

    static Http http;

    @BeforeAll
    static void deploy() {
        http = flowhost.http();
        for (var jar : new byte[][] {
            TestJars.exampleBytes("iris"),
            TestJars.exampleBytes("echo"),
            TestJars.of(TestServices.Trouble.class, TestServices.Order.class)
        }) {
            flowhost.deploy(jar, "?set=greeting%3Dgood%20morning");
        }
    }

    @AfterEach
    void serverStillServes() {
        var echo = http.postJson("/v1/services/echo/echo", "{\"still\": \"here\"}");
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.body()).isEqualTo("{\"still\":\"here\"}");
    }

    @Test
    void irisPredictsTheSpeciesWithTheModelsProbabilities() {
        var response = http.postJson("/v1/services/iris/predict", FLOWER);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        var prediction = Http.json(response);
        assertThat(prediction.path("species").asText()).isEqualTo("setosa");
        // scikit-learn's predict_proba for this row in IrisFlow run 1795691852170532; the fixture fed it the
        // row rounded to float32 (5.099999904632568...), which accounts for differences near 1e-8.
        assertThat(prediction.path("probabilities").path("setosa").asDouble())
                .isCloseTo(0.9472654464093639, within(1e-7));
        assertThat(prediction.path("probabilities").path("virginica").asDouble())
                .isCloseTo(2.4611287249577215e-05, within(1e-7));
        assertThat(prediction.path("confident").asBoolean()).isTrue();
    }

    @Test
    void irisAnswersABatchInOrder() {
        var response = http.postJson("/v1/services/iris/predict-batch", """
                {"flowers": [
                  {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
                  {"sepal_length": 7.0, "sepal_width": 3.2, "petal_length": 4.7, "petal_width": 1.4},
                  {"sepal_length": 6.3, "sepal_width": 3.3, "petal_length": 6.0, "petal_width": 2.5}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        var species = new ArrayList<String>();
        Http.json(response).forEach(p -> species.add(p.path("species").asText()));
        assertThat(species).containsExactly("setosa", "versicolor", "virginica");
    }

    @Test
    void irisStreamsPredictionsAsJsonLinesOrServerSentEvents() {
        var flowers = """
                {"flowers": [
                  {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
                  {"sepal_length": 6.3, "sepal_width": 3.3, "petal_length": 6.0, "petal_width": 2.5}]}""";
        var lines = http.postJson("/v1/services/iris/predict-stream", flowers);

        assertThat(lines.statusCode()).isEqualTo(200);
        assertThat(lines.headers().firstValue("Content-Type")).hasValue("application/jsonl");
        assertThat(lines.body()
                        .lines()
                        .map(line -> Http.json(line).path("species").asText()))
                .containsExactly("setosa", "virginica");

        var events = http.send(http.request("/v1/services/iris/predict-stream")
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(flowers)));
        assertThat(events.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(events.body()
                        .lines()
                        .filter(line -> line.startsWith("data: "))
                        .count())
                .isEqualTo(2);
        // a mistake found before the first prediction is an ordinary problem
        assertProblem(http.postJson("/v1/services/iris/predict-stream", "{\"flowers\": []}"), 422, "call-rejected");
    }

    @Test
    void eachDeploymentsLastHourIsKeptForChartsEveryTenSeconds() {
        for (int i = 0; i < 20; i++) {
            assertThat(http.postJson("/v1/services/iris/predict", FLOWER).statusCode())
                    .isEqualTo(200);
        }
        // the sampler's next point holds them: within its 10 s, and a loaded machine's while more
        var history = await().atMost(Duration.ofSeconds(40))
                .until(() -> Http.json(http.get("/v1/history/iris-v1")), h -> sum(h.path("callsPerSecond")) > 0);
        assertThat(history.path("everySeconds").asInt()).isEqualTo(10);
        int n = history.path("at").size();
        for (var column : new String[] {"callsPerSecond", "errorRate", "p50Ms", "p99Ms", "instances", "held"}) {
            assertThat(history.path(column).size()).as(column).isEqualTo(n);
        }
        assertThat(history.path("instances").get(n - 1).asInt()).isGreaterThanOrEqualTo(1);
        assertThat(Http.json(http.get("/v1/history")).path("deployments").toString())
                .contains("iris-v1");
        assertProblem(http.get("/v1/history/nope-v1"), 404, "not-found");
    }

    private static double sum(JsonNode values) {
        double total = 0;
        for (var value : values) {
            total += value.asDouble();
        }
        return total;
    }

    @Test
    void anEndpointWithoutABodyIsCalledWithGet() {
        var response = http.get("/v1/services/iris/model");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Http.json(response).path("classes").toString())
                .isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
    }

    @Test
    void deploymentSettingsReachTheServiceConstructor() {
        var response = http.get("/v1/services/trouble/greeting");

        assertThat(Http.json(response).path("greeting").asText()).isEqualTo("good morning");
    }

    @Test
    void theCallersRequestIdIsPassedToTheInstanceAndReturned() {
        var response = http.send(http.request("/v1/services/trouble/crash")
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "trace-me-42")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("trace-me-42");
        assertThat(Http.json(response).path("requestId").asText()).isEqualTo("trace-me-42");
    }

    @Test
    void malformedJsonIs400WithLineAndColumn() {
        var response = http.postJson("/v1/services/iris/predict", "{\n  \"sepal_length\": 5.1,\n  oops\n}");

        assertProblem(response, 400, "malformed-json");
        var problem = Http.json(response);
        assertThat(problem.path("line").asInt()).isEqualTo(3);
        assertThat(problem.path("column").asInt()).isPositive();
        assertThat(problem.path("detail").asText()).contains("line 3");
    }

    @Test
    void aFieldOfTheWrongTypeIs400NamingTheField() {
        var response = http.postJson("/v1/services/trouble/order", "{\"item\": \"tea\", \"quantity\": \"lots\"}");

        assertProblem(response, 400, "invalid-field");
        assertThat(Http.json(response).path("field").asText()).isEqualTo("quantity");
        assertThat(Http.json(response).path("detail").asText())
                .contains("'quantity'")
                .contains("an integer");
    }

    @Test
    void anUnknownServiceIs404() {
        var response = http.postJson("/v1/services/nope/predict", "{}");

        assertProblem(response, 404, "unknown-service");
        assertThat(Http.json(response).path("detail").asText()).contains("'nope'");
    }

    @Test
    void anUnknownEndpointIs404ListingTheEndpoints() {
        var response = http.postJson("/v1/services/iris/guess", "{}");

        assertProblem(response, 404, "unknown-endpoint");
        assertThat(Http.json(response).path("detail").asText())
                .contains("'guess'")
                .contains("predict-batch");
    }

    @Test
    void theWrongMethodIs405WithAllow() {
        var response = http.get("/v1/services/iris/predict");

        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void theWrongContentTypeIs415() {
        var response = http.send(http.request("/v1/services/echo/echo")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));

        assertProblem(response, 415, "unsupported-media-type");
        assertThat(Http.json(response).path("detail").asText()).contains("text/plain");
    }

    @Test
    void aBodyOverTheLimitIs413NamingTheLimit() {
        var response = http.postJson("/v1/services/echo/echo", "{\"pad\": \"" + "x".repeat(MAX_BODY) + "\"}");

        assertProblem(response, 413, "body-too-large");
        assertThat(Http.json(response).path("limit").asInt()).isEqualTo(MAX_BODY);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() {
        var body = ("{\"pad\": \"" + "x".repeat(MAX_BODY) + "\"}").getBytes();
        var response = http.send(http.request("/v1/services/echo/echo")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

        assertProblem(response, 413, "body-too-large");
    }

    @Test
    void aJarLargerThanTheCallBodyLimitCanStillBeDeployed() {
        var jar = TestJars.padded(2 * MAX_BODY, TestServices.Trouble.class, TestServices.Order.class);
        assertThat(jar.length).isGreaterThan(MAX_BODY);

        var response = http.deploy(jar, "?set=greeting%3Dgood%20morning");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(http.get("/v1/services/trouble/greeting").body()).contains("good morning");
    }

    @Test
    void aBodyJustUnderTheLimitPasses() {
        var body = "{\"pad\": \"" + "x".repeat(MAX_BODY - 20) + "\"}";

        var response = http.postJson("/v1/services/echo/echo", body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSize(body.length() - 1); // the echo drops the space after the colon
    }

    @Test
    void aRejectionByTheHandlerReachesTheCallerWithItsStatusAndMessage() {
        var response = http.postJson("/v1/services/trouble/reject", "{\"id\": 7}");

        assertProblem(response, 409, "call-rejected");
        assertThat(Http.json(response).path("detail").asText()).isEqualTo("order 7 was already placed");
    }

    @Test
    void aHandlerCrashIs500WithAnErrorIdAndNoStackTrace() {
        var response = http.postJson("/v1/services/trouble/crash", "{}");

        assertProblem(response, 500, "handler-failed");
        var problem = Http.json(response);
        assertThat(problem.path("errorId").asText()).matches("[0-9a-f]{16}");
        assertThat(response.body())
                .doesNotContain("secret internal detail")
                .doesNotContain("\tat ")
                .doesNotContain("TestServices");
    }

    @Test
    void anInstanceThatDoesNotAnswerInTimeIs504() {
        var response = http.postJson("/v1/services/trouble/sleep", "{\"ms\": 4000}");

        assertProblem(response, 504, "instance-timeout");
        assertThat(Http.json(response).path("detail").asText()).contains("1500 ms");
    }

    @Test
    void aRequestLineTooLongIs414() {
        var response = http.get("/v1/services/echo/echo?q=" + "x".repeat(5000));

        assertProblem(response, 414, "uri-too-long");
    }

    @Test
    void pipelinedCallsAreAnsweredInTheOrderTheyWereSent() throws Exception {
        var slow = "{\"ms\": 300}";
        var fast = "{\"fast\": true}";
        var requests = "POST /v1/services/trouble/sleep HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + slow.length() + "\r\n\r\n" + slow
                + "POST /v1/services/echo/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + fast.length() + "\r\nConnection: close\r\n\r\n" + fast;
        try (var socket = new Socket("127.0.0.1", flowhost.server().port())) {
            socket.getOutputStream().write(requests.getBytes());
            var answer = new String(socket.getInputStream().readAllBytes());

            assertThat(answer.indexOf("{\"slept\":300}")).isPositive().isLessThan(answer.indexOf("{\"fast\":true}"));
        }
    }

    @Test
    void manyConcurrentCallsAllGetTheirOwnAnswers() throws Exception {
        try (var pool = Executors.newFixedThreadPool(16)) {
            var calls = new ArrayList<Future<HttpResponse<String>>>();
            for (int i = 0; i < 300; i++) {
                var body = "{\"n\":" + i + "}";
                calls.add(pool.submit(() -> http.postJson("/v1/services/echo/echo", body)));
            }
            for (int i = 0; i < calls.size(); i++) {
                var response = calls.get(i).get();
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("{\"n\":" + i + "}");
            }
        }
    }

    @Test
    void servicesAreListedWithTheirEndpointsAndInstances() {
        var services = Http.json(http.get("/v1/services")).path("services");

        assertThat(services.findValuesAsText("name")).contains("iris", "echo", "trouble");
        var iris = Http.json(http.get("/v1/services/iris"));
        assertThat(iris.path("endpoints").findValuesAsText("path")).contains("/v1/services/iris/predict");
        assertThat(iris.path("instances").path(0).path("state").asText()).isEqualTo("ready");
        assertThat(iris.path("instances").path(0).path("coldStartMs").asLong()).isPositive();
    }

    @Test
    void anUnknownManagementPathIs404AndAWrongMethodThere405() {
        assertProblem(http.get("/v1/nothing-here"), 404, "not-found");
        var response = http.send(http.request("/v1/services").DELETE());
        assertProblem(response, 405, "method-not-allowed");
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
        assertProblem(http.get("/v1/deployments/none-v9"), 404, "not-found");
    }

    static void assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        var problem = Http.json(response);
        assertThat(problem.path("type").asText()).isEqualTo("urn:flowhost:problem:" + type);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        assertThat(problem.path("requestId").asText())
                .isNotBlank()
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
    }
}
