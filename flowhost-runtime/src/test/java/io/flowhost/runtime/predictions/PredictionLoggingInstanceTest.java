package io.flowhost.runtime.predictions;

import static io.flowhost.runtime.TestHttp.get;
import static io.flowhost.runtime.TestHttp.json;
import static io.flowhost.runtime.TestHttp.request;
import static io.flowhost.runtime.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowhost.runtime.Instance;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real instance over real HTTP, logging to JSON Lines files, read back after it stops. */
class PredictionLoggingInstanceTest {

    public record Features(double x) {}

    public record Score(double value) {}

    @Service(name = "scorer")
    public static class Scorer {

        @Endpoint
        public Score score(Features features) {
            if (features.x() < 0) {
                throw new CallRejectedException("x must be >= 0");
            }
            if (features.x() == 13) {
                throw new IllegalStateException("unlucky");
            }
            return new Score(features.x() * 2);
        }

        @Endpoint
        public Map<String, Object> info() {
            return Map.of("model", "doubler");
        }
    }

    @TempDir
    Path dir;

    private static HttpResponse<String> post(int port, String endpoint, String body, String requestId) {
        return send(request(port, "/v1/services/scorer/" + endpoint)
                .header("Content-Type", "application/json")
                .header("X-Request-Id", requestId)
                .POST(BodyPublishers.ofString(body)));
    }

    private Map<String, JsonNode> servedAndLogged(double sampleRate, Function<Integer, Object> calls) throws Exception {
        var options = InstanceOptions.forClass(Scorer.class)
                .withMetaflow(null, Map.of("ScoreFlow", "1795691857254202"))
                .withPredictions(PredictionSettings.defaults()
                        .withDeployment("scorer-v7")
                        .withSampleRate(sampleRate)
                        .withLogDir(dir));
        try (var instance = Instance.serve(options)) {
            calls.apply(instance.port());
        } // closing flushes the predictions waiting
        return JsonLines.all(dir).stream()
                .collect(Collectors.toMap(l -> l.get("requestId").asText(), Function.identity()));
    }

    @Test
    void callsAnsweredByTheEndpointAreLoggedWithRequestResponseStatusLatencyAndRequestId() throws Exception {
        var logged = servedAndLogged(1.0, port -> {
            assertThat(post(port, "score", "{\"x\": 2}", "call-ok").statusCode())
                    .isEqualTo(200);
            assertThat(post(port, "score", "{\"x\": -1}", "call-rejected").statusCode())
                    .isEqualTo(422);
            assertThat(post(port, "score", "{\"x\": 13}", "call-failed").statusCode())
                    .isEqualTo(500);
            return send(request(port, "/v1/services/scorer/info")
                    .header("X-Request-Id", "call-get")
                    .GET());
        });

        var ok = logged.get("call-ok");
        assertThat(ok.get("deployment").asText()).isEqualTo("scorer-v7");
        assertThat(ok.get("service").asText()).isEqualTo("scorer");
        assertThat(ok.get("endpoint").asText()).isEqualTo("score");
        assertThat(ok.get("metaflowRun").asText()).isEqualTo("ScoreFlow/1795691857254202");
        assertThat(ok.get("status").asInt()).isEqualTo(200);
        assertThat(ok.get("request").get("x").asDouble()).isEqualTo(2.0);
        assertThat(ok.get("response").get("value").asDouble()).isEqualTo(4.0);
        assertThat(ok.get("latencyMs").asDouble()).isPositive();
        assertThat(ok.get("time").asText()).endsWith("Z");

        assertThat(logged.get("call-rejected").get("status").asInt()).isEqualTo(422);
        assertThat(logged.get("call-rejected").get("response").get("detail").asText())
                .isEqualTo("x must be >= 0");
        assertThat(logged.get("call-failed").get("status").asInt()).isEqualTo(500);
        assertThat(logged.get("call-failed").get("response").get("errorId").asText())
                .isNotEmpty();
        assertThat(logged.get("call-get").get("request").isNull()).isTrue();
        assertThat(logged.get("call-get").get("response").get("model").asText()).isEqualTo("doubler");
    }

    @Test
    void aCallWithTraceparentIsLoggedWithTheCallersTraceId() throws Exception {
        var logged = servedAndLogged(
                1.0,
                port -> send(request(port, "/v1/services/scorer/score")
                        .header("Content-Type", "application/json")
                        .header("X-Request-Id", "traced")
                        .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                        .POST(BodyPublishers.ofString("{\"x\": 1}"))));

        assertThat(logged.get("traced").get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void healthReportsThePredictionsLoggedDroppedAndFailedSoFar() throws Exception {
        var options = InstanceOptions.forClass(Scorer.class)
                .withPredictions(
                        PredictionSettings.defaults().withSampleRate(1.0).withLogDir(dir));
        try (var instance = Instance.serve(options)) {
            for (int i = 0; i < 3; i++) {
                assertThat(post(instance.port(), "score", "{\"x\": 1}", "r" + i).statusCode())
                        .isEqualTo(200);
            }

            // logged by the drain thread, a moment after the answers
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> json(get(instance.port(), "/healthz"))
                                    .path("predictions")
                                    .path("logged")
                                    .asLong()
                            == 3);
            var counters = json(get(instance.port(), "/healthz")).path("predictions");
            assertThat(counters.path("dropped").asLong()).isZero();
            assertThat(counters.path("failed").asLong()).isZero();
        }
    }

    @Test
    void callsThatNeverReachTheEndpointAreNotPredictions() throws Exception {
        var logged = servedAndLogged(1.0, port -> {
            assertThat(post(port, "score", "{\"x\": \"two\"}", "bad-input").statusCode())
                    .isEqualTo(400);
            assertThat(post(port, "nothing", "{}", "no-endpoint").statusCode()).isEqualTo(404);
            return get(port, "/healthz");
        });

        assertThat(logged).isEmpty();
    }

    @Test
    void aSampleRateOfZeroLogsNoCall() throws Exception {
        var logged = servedAndLogged(0.0, port -> {
            for (int i = 0; i < 20; i++) {
                assertThat(post(port, "score", "{\"x\": 1}", "r" + i).statusCode())
                        .isEqualTo(200);
            }
            return null;
        });

        assertThat(logged).isEmpty();
    }
}
