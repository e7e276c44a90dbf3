package io.flowhost.runtime;

import static io.flowhost.runtime.TestHttp.contentType;
import static io.flowhost.runtime.TestHttp.get;
import static io.flowhost.runtime.TestHttp.json;
import static io.flowhost.runtime.TestHttp.parse;
import static io.flowhost.runtime.TestHttp.post;
import static io.flowhost.runtime.TestHttp.request;
import static io.flowhost.runtime.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.sdk.ArtifactException;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import io.flowhost.sdk.ServiceContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InstanceHttpTest {

    // ---- the services ---------------------------------------------------------------------

    public record Features(double sepalLength, double petalLength) {}

    public record Prediction(String species, double score) {}

    @Service(name = "model")
    public static class ModelService {

        @Endpoint(example = "{\"sepalLength\": 5.1, \"petalLength\": 1.4}")
        public Prediction predict(Features features) {
            var species = features.petalLength() < 2.5 ? "setosa" : "versicolor";
            return new Prediction(species, features.sepalLength() + features.petalLength());
        }

        @Endpoint
        public Map<String, Object> echo(Map<String, Object> body) {
            return body;
        }

        @Endpoint
        public Map<String, Object> info() {
            return Map.of("version", 3, "name", "iris");
        }

        @Endpoint
        public void forget(Map<String, Object> body) {}

        @Endpoint
        public Prediction reject(Features features) {
            throw new CallRejectedException("petal length must be positive");
        }

        @Endpoint
        public Prediction conflict(Features features) {
            throw new CallRejectedException(409, "the model is being replaced; retry in a minute");
        }

        @Endpoint
        public Map<String, Object> crash() {
            throw new IllegalStateException("secret-internal-detail", new RuntimeException("nested-cause-detail"));
        }

        @Endpoint
        public boolean virtual() {
            return Thread.currentThread().isVirtual();
        }
    }

    public record Reference(String reference) {}

    @Service(name = "context")
    public static class ContextService {

        private final ServiceContext context;

        public ContextService() {
            this.context = null;
        }

        public ContextService(ServiceContext context) {
            this.context = context;
        }

        @Endpoint
        public String constructedWith() {
            return context == null ? "no-arg constructor" : "context constructor";
        }

        @Endpoint
        public Map<String, String> settings() {
            return context.settings();
        }

        @Endpoint
        public String serviceName() {
            return context.serviceName();
        }

        /** Reads an artifact; an ArtifactException comes back as a 422 whose detail is its class and message. */
        @Endpoint
        public Map<String, Object> artifact(Reference reference) {
            try {
                return Map.of(
                        "text", new String(context.artifacts().bytes(reference.reference()), StandardCharsets.UTF_8));
            } catch (ArtifactException e) {
                throw new CallRejectedException(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    @Service(name = "broken")
    public static class BrokenConstructorService {

        public BrokenConstructorService() {
            throw new IllegalStateException("model file is corrupt");
        }

        @Endpoint
        public Map<String, Object> info() {
            return Map.of();
        }
    }

    /** Its slow endpoint waits until the test releases it; its fast one answers at once. */
    @Service(name = "pipeline")
    public static class PipelineService {

        /** Set afresh by the test before it starts the instance. */
        static volatile CountDownLatch releaseSlow = new CountDownLatch(0);

        @Endpoint
        public String slow() throws InterruptedException {
            releaseSlow.await(10, TimeUnit.SECONDS);
            return "slow";
        }

        @Endpoint
        public String fast() {
            return "fast";
        }
    }

    // ---- one instance shared by the tests that only call it -------------------------------

    private static final String MODEL = "/v1/services/model/";

    private static Instance model;
    private static int port;

    @BeforeAll
    static void serveModel() throws Exception {
        model = Instance.serve(InstanceOptions.forClass(ModelService.class));
        port = model.port();
    }

    @AfterAll
    static void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    // ---- answers --------------------------------------------------------------------------

    @Test
    void aRecordEndpointAnswers200WithJson() {
        var response = post(port, MODEL + "predict", "{\"sepalLength\": 5.1, \"petalLength\": 1.4}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(contentType(response)).isEqualTo("application/json");
        var body = json(response);
        assertThat(body.get("species").asText()).isEqualTo("setosa");
        assertThat(body.get("score").asDouble()).isEqualTo(6.5);
    }

    @Test
    void aMapEndpointEchoesTheBody() {
        var response = post(port, MODEL + "echo", "{\"a\": 1, \"b\": [true, null, \"x\"], \"c\": {\"d\": 2.5}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(parse("{\"a\": 1, \"b\": [true, null, \"x\"], \"c\": {\"d\": 2.5}}"));
    }

    @Test
    void anEndpointWithoutParametersAnswersGet() {
        var response = get(port, MODEL + "info");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("version").asInt()).isEqualTo(3);
    }

    @Test
    void aVoidEndpointAnswers204WithoutABody() {
        var response = post(port, MODEL + "forget", "{\"user\": 42}");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void a204AnswerCarriesNoContentLengthHeader() {
        // RFC 9110 section 8.6: a server MUST NOT send Content-Length in a 204 response.
        var response = post(port, MODEL + "forget", "{\"user\": 42}");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
    }

    @Test
    void handlersRunOnVirtualThreads() {
        var response = get(port, MODEL + "virtual");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("true");
    }

    @Test
    void aQueryStringDoesNotChangeTheRoute() {
        var response = get(port, MODEL + "info?verbose=true");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    // ---- the caller's mistakes ------------------------------------------------------------

    @Test
    void malformedJsonIs400ProblemJsonWithLineAndColumn() {
        var response = post(port, MODEL + "predict", "{\"sepalLength\": 5.1,\n  \"petalLength\": }");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(contentType(response)).isEqualTo("application/problem+json");
        var problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:flowhost:problem:malformed-json");
        assertThat(problem.get("detail").asText()).contains("not valid JSON");
        assertThat(problem.get("line").asInt()).isEqualTo(2);
        assertThat(problem.get("column").asInt()).isEqualTo(18);
    }

    @Test
    void aFieldOfTheWrongTypeIs400NamingTheField() {
        var response = post(port, MODEL + "predict", "{\"sepalLength\": \"tall\", \"petalLength\": 1.4}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(contentType(response)).isEqualTo("application/problem+json");
        var problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:flowhost:problem:invalid-field");
        assertThat(problem.get("field").asText()).isEqualTo("sepalLength");
        assertThat(problem.get("detail").asText()).contains("'sepalLength'").contains("a number");
    }

    @Test
    void anUnknownFieldIs400NamingItAndTheKnownOnes() {
        var response = post(
                port, MODEL + "predict", "{\"sepalLength\": 5.1, \"petalLength\": 1.4, \"petalColour\": \"blue\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        var problem = json(response);
        assertThat(problem.get("field").asText()).isEqualTo("petalColour");
        assertThat(problem.get("detail").asText())
                .contains("unknown field 'petalColour'")
                .contains("petalLength")
                .contains("sepalLength");
    }

    @Test
    void aBodyOfTheWrongShapeIs400() {
        var response = post(port, MODEL + "predict", "[5.1, 1.4]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("type").asText()).isEqualTo("urn:flowhost:problem:invalid-field");
    }

    @Test
    void aMissingBodyIs400SayingTheEndpointNeedsOne() {
        var response = post(port, MODEL + "predict", "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("detail").asText()).contains("needs a JSON body");
    }

    @Test
    void aJsonNullBodyIsRejectedWith400InsteadOfReachingTheHandler() {
        var response = post(port, MODEL + "predict", "null");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(contentType(response)).isEqualTo("application/problem+json");
    }

    @Test
    void anUnknownEndpointIs404ListingTheEndpoints() {
        var response = get(port, MODEL + "nope");

        assertThat(response.statusCode()).isEqualTo(404);
        var problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:flowhost:problem:unknown-endpoint");
        assertThat(problem.get("detail").asText())
                .contains("'nope'")
                .contains("predict")
                .contains("info");
    }

    @Test
    void anotherServicesPathIs404NamingTheServedOne() {
        var response = get(port, "/v1/services/other/predict");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("detail").asText()).contains("'model'");
    }

    @Test
    void theWrongMethodIs405WithAnAllowHeader() {
        var response = get(port, MODEL + "predict");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("POST");
        assertThat(json(response).get("detail").asText()).contains("POST");
    }

    @Test
    void postingToAGetEndpointIs405AllowingGet() {
        var response = post(port, MODEL + "info", "{}");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void aTextPlainBodyIs415() {
        var response = send(request(port, MODEL + "predict")
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("{\"sepalLength\": 5.1, \"petalLength\": 1.4}")));

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(contentType(response)).isEqualTo("application/problem+json");
        assertThat(json(response).get("detail").asText())
                .contains("application/json")
                .contains("text/plain");
    }

    @Test
    void aVendorJsonContentTypeIsAccepted() {
        var response = send(request(port, MODEL + "predict")
                .header("Content-Type", "application/vnd.flowhost+json; charset=utf-8")
                .POST(BodyPublishers.ofString("{\"sepalLength\": 5.1, \"petalLength\": 1.4}")));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestLineTooLongIsAnswered414NotMistakenForAnotherRoute() {
        var response = get(port, "/healthz?q=" + "x".repeat(10_000));

        assertThat(response.statusCode()).isEqualTo(414);
    }

    // ---- the handler's refusals and failures ----------------------------------------------

    @Test
    void aCallRejectedExceptionIs422WithItsMessageAsDetail() {
        var response = post(port, MODEL + "reject", "{\"sepalLength\": 5.1, \"petalLength\": -1}");

        assertThat(response.statusCode()).isEqualTo(422);
        var problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:flowhost:problem:call-rejected");
        assertThat(problem.get("status").asInt()).isEqualTo(422);
        assertThat(problem.get("detail").asText()).isEqualTo("petal length must be positive");
    }

    @Test
    void aCallRejectedExceptionWithItsOwnStatusIsAnsweredWithThatStatus() {
        var response = post(port, MODEL + "conflict", "{\"sepalLength\": 5.1, \"petalLength\": 1.4}");

        assertThat(response.statusCode()).isEqualTo(409);
        var problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(409);
        assertThat(problem.get("detail").asText()).isEqualTo("the model is being replaced; retry in a minute");
    }

    @Test
    void aHandlerThatThrowsIs500WithAnErrorIdAndNoStackTrace() {
        var response = get(port, MODEL + "crash");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(contentType(response)).isEqualTo("application/problem+json");
        var problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:flowhost:problem:handler-failed");
        var errorId = problem.get("errorId").asText();
        assertThat(errorId).matches("[0-9a-f]{16}");
        assertThat(problem.get("detail").asText())
                .contains("IllegalStateException")
                .contains(errorId);
        assertThat(response.body())
                .doesNotContain("at io.")
                .doesNotContain("Exception:")
                .doesNotContain("java.lang.")
                .doesNotContain("secret-internal-detail")
                .doesNotContain("nested-cause-detail");
    }

    @Test
    void theInstanceKeepsAnsweringCorrectlyAfterAHandlerFailure() {
        assertThat(get(port, MODEL + "crash").statusCode()).isEqualTo(500);

        var response = post(port, MODEL + "predict", "{\"sepalLength\": 6.0, \"petalLength\": 4.5}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("species").asText()).isEqualTo("versicolor");
    }

    // ---- problem bodies and request ids ---------------------------------------------------

    /** A call that fails, for the tests that check what every problem looks like. */
    record FailingCall(String name, String method, String path, String contentType, String body, int status) {

        HttpResponse<String> send(String requestId) {
            var builder = request(port, path);
            if (requestId != null) {
                builder.header("X-Request-Id", requestId);
            }
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            builder.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
            return TestHttp.send(builder);
        }

        @Override
        public String toString() {
            return name + " (" + status + ")";
        }
    }

    static Stream<FailingCall> failingCalls() {
        return Stream.of(
                new FailingCall("malformed JSON", "POST", MODEL + "predict", "application/json", "{", 400),
                new FailingCall(
                        "wrong field type",
                        "POST",
                        MODEL + "predict",
                        "application/json",
                        "{\"sepalLength\": true, \"petalLength\": 1}",
                        400),
                new FailingCall(
                        "unknown field",
                        "POST",
                        MODEL + "predict",
                        "application/json",
                        "{\"sepalLength\": 1, \"petalLength\": 1, \"x\": 1}",
                        400),
                new FailingCall("no route", "GET", "/metrics", null, null, 404),
                new FailingCall("unknown service", "GET", "/v1/services/other/predict", null, null, 404),
                new FailingCall("unknown endpoint", "GET", MODEL + "nope", null, null, 404),
                new FailingCall("wrong method", "GET", MODEL + "predict", null, null, 405),
                new FailingCall("wrong content type", "POST", MODEL + "echo", "text/plain", "{}", 415),
                new FailingCall(
                        "call rejected",
                        "POST",
                        MODEL + "reject",
                        "application/json",
                        "{\"sepalLength\": 1, \"petalLength\": 1}",
                        422),
                new FailingCall(
                        "call rejected with 409",
                        "POST",
                        MODEL + "conflict",
                        "application/json",
                        "{\"sepalLength\": 1, \"petalLength\": 1}",
                        409),
                new FailingCall("handler failed", "GET", MODEL + "crash", null, null, 500));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingCalls")
    void everyProblemBodyHasTypeTitleStatusDetailAndRequestId(FailingCall call) {
        var response = call.send(null);

        assertThat(response.statusCode()).isEqualTo(call.status());
        assertThat(contentType(response)).isEqualTo("application/problem+json");
        var problem = json(response);
        assertThat(problem.get("type").asText()).startsWith("urn:flowhost:problem:");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(call.status());
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("requestId").asText())
                .isNotBlank()
                .isEqualTo(response.headers().firstValue("X-Request-Id").orElse(null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingCalls")
    void theCallersRequestIdIsEchoedInTheHeaderAndInTheProblem(FailingCall call) {
        var response = call.send("caller-id-" + call.status());

        assertThat(response.headers().firstValue("X-Request-Id")).contains("caller-id-" + call.status());
        assertThat(json(response).get("requestId").asText()).isEqualTo("caller-id-" + call.status());
    }

    @Test
    void theCallersRequestIdIsEchoedOnASuccessfulAnswerToo() {
        var response = send(request(port, MODEL + "info")
                .header("X-Request-Id", "trace-7f3a")
                .GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-Id")).contains("trace-7f3a");
    }

    @Test
    void anUnusableRequestIdIsReplacedByAFreshOne() {
        var response = send(request(port, MODEL + "nope")
                .header("X-Request-Id", "x".repeat(65))
                .GET());

        var id = response.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(json(response).get("requestId").asText()).isEqualTo(id);
    }

    // ---- body limit -----------------------------------------------------------------------

    private static InstanceOptions smallBodyOptions(int maxBody) {
        return new InstanceOptions(null, ModelService.class.getName(), "127.0.0.1", 0, null, maxBody, Map.of(), false);
    }

    @Test
    void aBodyOverTheLimitIs413ProblemNamingTheLimit() throws Exception {
        try (var instance = Instance.serve(smallBodyOptions(64))) {
            var response = send(request(instance.port(), MODEL + "echo")
                    .header("Content-Type", "application/json")
                    .header("X-Request-Id", "big-body-1")
                    .POST(BodyPublishers.ofString("{\"text\": \"" + "x".repeat(200) + "\"}")));

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(contentType(response)).isEqualTo("application/problem+json");
            var problem = json(response);
            assertThat(problem.get("type").asText()).isEqualTo("urn:flowhost:problem:body-too-large");
            assertThat(problem.get("title").asText()).isNotBlank();
            assertThat(problem.get("status").asInt()).isEqualTo(413);
            assertThat(problem.get("limit").asInt()).isEqualTo(64);
            assertThat(problem.get("detail").asText()).contains("64 bytes");
            assertThat(problem.get("requestId").asText()).isEqualTo("big-body-1");
            assertThat(response.headers().firstValue("X-Request-Id")).contains("big-body-1");
        }
    }

    @Test
    void aBodyOverTheLimitSentWithExpectContinueIs413ProblemJsonToo() throws Exception {
        try (var instance = Instance.serve(smallBodyOptions(64))) {
            var response = send(request(instance.port(), MODEL + "echo")
                    .header("Content-Type", "application/json")
                    .header("X-Request-Id", "big-body-2")
                    .expectContinue(true)
                    .POST(BodyPublishers.ofString("{\"text\": \"" + "x".repeat(200) + "\"}")));

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(contentType(response)).isEqualTo("application/problem+json");
            assertThat(response.headers().firstValue("X-Request-Id")).contains("big-body-2");
        }
    }

    @Test
    void aCallerThatSendsItsWholeOversizedBodyBeforeReadingStillGetsThe413() throws Exception {
        // A caller that writes all of a large body before it reads, as most clients do, must find the
        // 413 waiting; a server that closed at once would reset the connection under it instead.
        var body = new byte[8 * 1024 * 1024];
        Arrays.fill(body, (byte) 'x');
        try (var instance = Instance.serve(smallBodyOptions(64));
                var socket = new Socket("127.0.0.1", instance.port())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            out.write(("POST " + MODEL + "echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();

            var response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response)
                    .startsWith("HTTP/1.1 413")
                    .contains("body-too-large")
                    .contains("connection: close");
        }
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() throws Exception {
        var body = "{\"text\": \"" + "x".repeat(40) + "\"}";
        try (var instance = Instance.serve(smallBodyOptions(body.length()))) {
            var response = post(instance.port(), MODEL + "echo", body);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("text").asText()).hasSize(40);
        }
    }

    @Test
    void theInstanceKeepsAnsweringCorrectlyAfterABodyOverTheLimit() throws Exception {
        try (var instance = Instance.serve(smallBodyOptions(64))) {
            var tooLarge = post(instance.port(), MODEL + "echo", "{\"text\": \"" + "x".repeat(200) + "\"}");
            assertThat(tooLarge.statusCode()).isEqualTo(413);

            var response = post(instance.port(), MODEL + "echo", "{\"n\": 1}");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("n").asInt()).isEqualTo(1);
        }
    }

    // ---- probes and construction ----------------------------------------------------------

    @Test
    void healthIs200EvenBeforeTheServiceIsConstructed() throws Exception {
        try (var instance = Instance.start(InstanceOptions.forClass(ModelService.class))) {
            var response = get(instance.port(), "/healthz");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("status").asText()).isEqualTo("up");
            assertThat(json(response).get("heapUsedBytes").asLong()).isPositive();
            assertThat(json(response).has("predictions"))
                    .as("no prediction counts without prediction logging")
                    .isFalse();
            assertThat(json(response).has("spans"))
                    .as("no span counts without tracing")
                    .isFalse();
        }
    }

    @Test
    void readinessIs503BeforeTheConstructorHasRunAnd200After() throws Exception {
        try (var instance = Instance.start(InstanceOptions.forClass(ModelService.class))) {
            var before = get(instance.port(), "/readyz");
            assertThat(before.statusCode()).isEqualTo(503);
            assertThat(contentType(before)).isEqualTo("application/problem+json");

            instance.construct();

            var after = get(instance.port(), "/readyz");
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(json(after).get("status").asText()).isEqualTo("ready");
        }
    }

    @Test
    void anEndpointCalledBeforeTheConstructorHasRunIs503() throws Exception {
        try (var instance = Instance.start(InstanceOptions.forClass(ModelService.class))) {
            var response = get(instance.port(), MODEL + "info");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(json(response).get("type").asText()).isEqualTo("urn:flowhost:problem:not-ready");
        }
    }

    @Test
    void aConstructorThatThrowsFailsServeNamingTheConstructorAndTheCause() {
        assertThatThrownBy(() -> Instance.serve(InstanceOptions.forClass(BrokenConstructorService.class)))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining(BrokenConstructorService.class.getName() + ".BrokenConstructorService()")
                .hasMessageContaining("IllegalStateException: model file is corrupt")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aServiceClassThatIsNotOnTheClassPathFailsServeNamingIt() {
        var options =
                new InstanceOptions(null, "com.example.NoSuchService", "127.0.0.1", 0, null, 1024, Map.of(), false);

        assertThatThrownBy(() -> Instance.serve(options))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("no class com.example.NoSuchService on the class path");
    }

    @Test
    void theDescriptorOfAServedInstanceNamesItsEndpoints() {
        assertThat(model.descriptor().service()).isEqualTo("model");
        assertThat(model.descriptor().endpoint("predict")).hasValueSatisfying(e -> {
            assertThat(e.method()).isEqualTo("POST");
            assertThat(e.example()).contains("sepalLength");
        });
    }

    // ---- concurrency ----------------------------------------------------------------------

    @Test
    void twoHundredConcurrentCallsFromSixteenThreadsAllGetTheirOwnAnswer() throws Exception {
        var pool = Executors.newFixedThreadPool(16);
        try {
            var calls = new ArrayList<Callable<Integer>>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                calls.add(() -> {
                    var response = post(port, MODEL + "echo", "{\"n\": " + n + ", \"pad\": \"" + "p".repeat(n) + "\"}");
                    assertThat(response.statusCode()).isEqualTo(200);
                    return json(response).get("n").asInt();
                });
            }
            var answers = new ArrayList<Integer>();
            for (Future<Integer> future : pool.invokeAll(calls, 30, TimeUnit.SECONDS)) {
                answers.add(future.get());
            }

            assertThat(answers)
                    .containsExactlyElementsOf(IntStream.range(0, 200).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderTheyWereSent() throws Exception {
        var releaseSlow = new CountDownLatch(1);
        PipelineService.releaseSlow = releaseSlow;
        try (var instance = Instance.serve(InstanceOptions.forClass(PipelineService.class));
                var socket = new Socket("127.0.0.1", instance.port())) {
            var out = socket.getOutputStream();
            out.write(("GET /v1/services/pipeline/slow HTTP/1.1\r\nHost: localhost\r\n\r\n"
                            + "GET /v1/services/pipeline/fast HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            var in = socket.getInputStream();

            // HTTP/1.1 requires the answer to "slow" first. A correct server can only send it once
            // "slow" is released, so nothing may arrive at first: after a second of silence the
            // test releases it. A server that answers out of order sends "fast" at once.
            socket.setSoTimeout(1_000);
            String first;
            try {
                first = readResponseBody(in);
            } catch (SocketTimeoutException correctSoFar) {
                releaseSlow.countDown();
                socket.setSoTimeout(10_000);
                first = readResponseBody(in);
            }
            releaseSlow.countDown();
            socket.setSoTimeout(10_000);
            var second = readResponseBody(in);

            assertThat(List.of(first, second)).containsExactly("\"slow\"", "\"fast\"");
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length from the stream and returns its body. */
    private static String readResponseBody(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.write(b);
        }
        int length = 0;
        for (var line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    // ---- the service's context ------------------------------------------------------------

    private static final String CONTEXT = "/v1/services/context/";

    @Test
    void theConstructorTakingTheContextIsTheOneCalled() throws Exception {
        try (var instance = Instance.serve(InstanceOptions.forClass(ContextService.class))) {
            var response = get(instance.port(), CONTEXT + "constructed-with");

            assertThat(response.body()).isEqualTo("\"context constructor\"");
        }
    }

    @Test
    void settingsGivenInTheOptionsReachTheConstructor() throws Exception {
        var options = InstanceOptions.forClass(ContextService.class)
                .withSettings(Map.of("threshold", "0.7", "model.path", "/models/iris.onnx"));
        try (var instance = Instance.serve(options)) {
            var response = get(instance.port(), CONTEXT + "settings");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response))
                    .isEqualTo(parse("{\"threshold\": \"0.7\", \"model.path\": \"/models/iris.onnx\"}"));
        }
    }

    @Test
    void theContextNamesTheService() throws Exception {
        try (var instance = Instance.serve(InstanceOptions.forClass(ContextService.class))) {
            assertThat(get(instance.port(), CONTEXT + "service-name").body()).isEqualTo("\"context\"");
        }
    }

    @Test
    void aClasspathArtifactIsReadFromTheServicesResources() throws Exception {
        try (var instance = Instance.serve(InstanceOptions.forClass(ContextService.class))) {
            var response = post(
                    instance.port(), CONTEXT + "artifact", "{\"reference\": \"classpath:artifacts/greeting.txt\"}");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("text").asText()).isEqualTo("hello from a test resource\n");
        }
    }

    @Test
    void aFileArtifactIsReadFromTheFileSystem(@TempDir Path dir) throws Exception {
        var file = Files.writeString(dir.resolve("thresholds.json"), "{\"setosa\": 0.9}");
        try (var instance = Instance.serve(InstanceOptions.forClass(ContextService.class))) {
            var response = post(instance.port(), CONTEXT + "artifact", "{\"reference\": \"file:" + file + "\"}");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).get("text").asText()).isEqualTo("{\"setosa\": 0.9}");
        }
    }

    @Test
    void anArtifactWithAnUnknownSchemeThrowsArtifactExceptionNamingTheKnownSchemes() throws Exception {
        try (var instance = Instance.serve(InstanceOptions.forClass(ContextService.class))) {
            var response = post(instance.port(), CONTEXT + "artifact", "{\"reference\": \"s3://bucket/model.bin\"}");

            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(json(response).get("detail").asText())
                    .startsWith("ArtifactException: ")
                    .contains("'s3://bucket/model.bin'")
                    .contains("scheme")
                    .contains("classpath:<resource> or file:<path>");
        }
    }

    @Test
    void aMissingClasspathArtifactThrowsArtifactExceptionNamingTheResource() throws Exception {
        try (var instance = Instance.serve(InstanceOptions.forClass(ContextService.class))) {
            var response =
                    post(instance.port(), CONTEXT + "artifact", "{\"reference\": \"classpath:models/missing.onnx\"}");

            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(json(response).get("detail").asText())
                    .startsWith("ArtifactException: ")
                    .contains("classpath:models/missing.onnx not found")
                    .contains("'models/missing.onnx'")
                    .contains("src/main/resources");
        }
    }

    @Test
    void aMissingFileArtifactThrowsArtifactExceptionNamingTheReference(@TempDir Path dir) throws Exception {
        // Not "not found": that would tell apart a file that is not there from one that cannot be read.
        var missing = dir.resolve("absent.bin");
        try (var instance = Instance.serve(InstanceOptions.forClass(ContextService.class))) {
            var response = post(instance.port(), CONTEXT + "artifact", "{\"reference\": \"file:" + missing + "\"}");

            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(json(response).get("detail").asText())
                    .startsWith("ArtifactException: ")
                    .contains("file:" + missing + " cannot be read");
        }
    }

    @Test
    void anArtifactThatCannotBeReadThrowsArtifactExceptionToo(@TempDir Path dir) throws Exception {
        // A directory opens as a stream on Linux but fails on the first read.
        try (var instance = Instance.serve(InstanceOptions.forClass(ContextService.class))) {
            var response = post(instance.port(), CONTEXT + "artifact", "{\"reference\": \"file:" + dir + "\"}");

            assertThat(response.statusCode()).isEqualTo(422);
            assertThat(json(response).get("detail").asText())
                    .startsWith("ArtifactException: ")
                    .contains(dir.toString());
        }
    }
}
