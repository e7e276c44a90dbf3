package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The request log and the Prometheus metrics, from real calls through a real gateway. */
@Tag("e2e")
class ObservabilityTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(settings -> settings.withMetaflow(TestJars.irisDatastore())
            .withWarmSpares(ServerSettings.DEFAULT_WARM_SPARES)); // cold starts as they run by default

    Http http;
    Path dataDir;

    @BeforeEach
    void client() {
        http = flowhost.http();
        dataDir = flowhost.dataDir();
    }

    private List<JsonNode> logLines() throws Exception {
        var out = new ArrayList<JsonNode>();
        var json = new ObjectMapper();
        for (var line : Files.readAllLines(dataDir.resolve("logs/requests.log"))) {
            out.add(json.readTree(line));
        }
        return out;
    }

    @Test
    void everyCallGetsOneRequestLogLineWithItsTimesStatusAndSizes() throws Exception {
        http.deploy(TestJars.exampleBytes("iris"));
        var flower = "{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}";
        var ok = http.send(http.request("/v1/services/iris/predict")
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "log-me-1")
                .POST(HttpRequest.BodyPublishers.ofString(flower)));
        assertThat(ok.statusCode()).isEqualTo(200);
        http.postJson("/v1/services/iris/nope", "{}");
        var queued = http.send(http.request("/v1/services/iris/model")
                .header("Prefer", "respond-async")
                .GET());
        var id = Http.json(queued).path("id").asText();
        assertThat(Http.json(http.get("/v1/requests/" + id + "?wait=30s"))
                        .path("state")
                        .asText())
                .isEqualTo("succeeded");

        await().atMost(Duration.ofSeconds(10)).until(() -> logLines().size() >= 4);
        var lines = logLines();
        var predict = lines.stream()
                .filter(l -> l.path("requestId").asText().equals("log-me-1"))
                .findFirst()
                .orElseThrow();
        assertThat(predict.path("service").asText()).isEqualTo("iris");
        assertThat(predict.path("deployment").asText()).isEqualTo("iris-v1");
        assertThat(predict.path("run").asText()).isEqualTo("IrisFlow/1795691852170532");
        assertThat(predict.path("endpoint").asText()).isEqualTo("predict");
        assertThat(predict.path("mode").asText()).isEqualTo("sync");
        assertThat(predict.path("status").asInt()).isEqualTo(200);
        assertThat(predict.path("totalMs").asDouble())
                .isPositive()
                .isGreaterThanOrEqualTo(predict.path("instanceMs").asDouble());
        assertThat(predict.path("instance").asText()).startsWith("iris-v1-");
        assertThat(predict.path("bytesIn").asInt()).isEqualTo(flower.length());
        assertThat(predict.path("bytesOut").asInt()).isPositive();
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("endpoint").asText()).isEqualTo("nope");
            assertThat(l.path("status").asInt()).isEqualTo(404);
        });
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("mode").asText()).isEqualTo("async");
            assertThat(l.path("status").asInt()).isEqualTo(202);
        });
        assertThat(lines).anySatisfy(l -> {
            assertThat(l.path("mode").asText()).isEqualTo("async-run");
            assertThat(l.path("queuedMs").isNumber()).isTrue();
            assertThat(l.path("status").asInt()).isEqualTo(200);
        });
    }

    @Test
    void aCallThatWokeTheServiceIsLoggedAsAColdStartWithItsHeldTime() throws Exception {
        http.deploy(TestJars.exampleBytes("echo"), ScalingTest.QUICK + "&idle-timeout=2s");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Http.json(http.get("/v1/status/echo"))
                        .path("services")
                        .path(0)
                        .path("instances")
                        .isEmpty());

        assertThat(http.send(http.request("/v1/services/echo/echo")
                                .header("Content-Type", "application/json")
                                .header("X-Request-Id", "wake-up")
                                .POST(HttpRequest.BodyPublishers.ofString("{}")))
                        .statusCode())
                .isEqualTo(200);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> logLines().stream()
                        .anyMatch(l -> l.path("requestId").asText().equals("wake-up")));
        var line = logLines().stream()
                .filter(l -> l.path("requestId").asText().equals("wake-up"))
                .findFirst()
                .orElseThrow();
        assertThat(line.path("coldStart").asBoolean()).isTrue();
        assertThat(line.path("heldMs").asDouble()).isPositive();
        assertThat(line.path("coldStartParts").asText())
                .as("where the start of the instance it woke went")
                // a warm spare handed the deployment, or a JVM of its own when the next spare was not started yet
                .matches("\\d+ ms = (handoff to a warm spare \\d+|process \\d+ \\+ JVM to main \\d+) \\+ listening \\d+"
                        + " \\+ constructor \\d+ \\+ readiness \\d+");
    }

    @Test
    void metricsAreValidPrometheusTextWithCallsPerServiceEndpointAndStatusClass() throws Exception {
        http.deploy(TestJars.exampleBytes("echo"), "?prediction-sample-rate=1");
        for (int i = 0; i < 5; i++) {
            http.postJson("/v1/services/echo/echo", "{}");
        }
        http.postJson("/v1/services/echo/missing", "{}");
        http.postJson("/v1/services/made-up-" + System.nanoTime() + "/x", "{}");
        // The instance's loggers write on a thread of their own: its /healthz counts them a moment after.
        var logged = "flowhost_predictions_logged_total{instance=\"echo-v1-1\",service=\"echo\"}";
        await().atMost(Duration.ofSeconds(10))
                .until(() -> value(http.get("/metrics").body(), logged) == 5);

        var scrape = http.get("/metrics");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        var text = scrape.body();
        assertThat(text)
                .contains("flowhost_calls_seconds_count{deployment=\"echo-v1\",endpoint=\"echo\",service=\"echo\","
                        + "status_class=\"2xx\",variant=\"primary\"} 5");
        assertThat(text)
                .contains("flowhost_calls_seconds_bucket{deployment=\"echo-v1\",endpoint=\"echo\",service=\"echo\","
                        + "status_class=\"2xx\",variant=\"primary\",le=");
        assertThat(text).contains("service=\"unknown\"").doesNotContain("made-up-");
        assertThat(text).contains("flowhost_instances{service=\"echo\",state=\"ready\"} 1");
        assertThat(text).contains("flowhost_cold_starts_total{service=\"echo\"} 1");
        assertThat(text).contains("flowhost_instance_resident_memory_bytes{instance=\"echo-v1-1\",service=\"echo\"}");
        assertThat(text).contains("flowhost_instance_heap_used_bytes{instance=\"echo-v1-1\",service=\"echo\"}");
        assertThat(text).contains("flowhost_async_queued{service=\"echo\"} 0");
        assertThat(text).contains("# TYPE flowhost_predictions_logged_total counter");
        assertThat(value(text, logged)).isEqualTo(5);
        assertThat(value(text, "flowhost_predictions_dropped_total{instance=\"echo-v1-1\",service=\"echo\"}"))
                .isZero();
        assertThat(value(text, "flowhost_prediction_log_errors_total{instance=\"echo-v1-1\",service=\"echo\"}"))
                .isZero();
        assertThat(text).as("no dropped-span series without tracing").doesNotContain("flowhost_spans_dropped");
        assertThat(promtoolCheck(text)).as("promtool check metrics").isEmpty();
    }

    @Test
    void theServerEvaluatesAlertRulesAndListsThem() {

        var alerts = Http.json(http.get("/v1/alerts"));

        assertThat(alerts.path("rules").findValuesAsText("kind")).contains("error-ratio", "p99-latency");
        assertThat(alerts.path("alerts").isArray()).isTrue();
    }

    /** The value of one series in Prometheus text, or -1 when it is not there. */
    private static double value(String metrics, String series) {
        return metrics.lines()
                .filter(line -> line.startsWith(series + " "))
                .findFirst()
                .map(line ->
                        Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElse(-1.0);
    }

    /** What {@code promtool check metrics} complains about (it is installed by ./flowhost test). */
    static String promtoolCheck(String metrics) throws Exception {
        var promtool = Path.of("/usr/bin/promtool");
        assertThat(promtool)
                .as("promtool is installed (Debian package prometheus; ./flowhost test installs it)")
                .exists();
        var process = new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectErrorStream(true)
                .start();
        try (var in = process.getOutputStream()) {
            in.write(metrics.getBytes());
        }
        var output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() == 0 ? "" : output;
    }
}
