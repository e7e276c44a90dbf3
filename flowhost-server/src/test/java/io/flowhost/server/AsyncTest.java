package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Asynchronous calls end to end: accepted durably, run, kept, and never lost, not even to SIGKILL. */
@Tag("e2e")
class AsyncTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    Http http;

    @TempDir
    Path dataDir; // for the server this test starts in a process of its own

    @BeforeEach
    void client() {
        http = flowhost.http();
    }

    /** A call to {@code trouble/wait}, queued; it runs until {@link #openGate} lets it answer. */
    private String queueWaiter() {
        return Http.json(submit(http, "/v1/services/trouble/wait", "{}"))
                .path("id")
                .asText();
    }

    private String state(String id) {
        return Http.json(http.get("/v1/requests/" + id)).path("state").asText();
    }

    private static HttpResponse<String> submit(Http http, String path, String body, String... headers) {
        var request =
                http.request(path).header("Content-Type", "application/json").header("Prefer", "respond-async");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A first run starts with a cold start, which takes seconds on a busy CI machine: a bound, not a wait. */
    private static final Duration RUNNING_WITHIN = Duration.ofSeconds(30);

    private static JsonNode waitFor(Http http, String id) {
        return Http.json(http.get("/v1/requests/" + id + "?wait=30s"));
    }

    private static byte[] trouble() {
        return TestJars.of(TestServices.Trouble.class, TestServices.Order.class);
    }

    @Test
    void aQueuedCallIsAcceptedRunAndItsAnswerKept() {
        flowhost.deploy(TestJars.exampleBytes("echo"));

        var accepted = submit(http, "/v1/services/echo/echo", "{\"job\": 1}");

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var id = Http.json(accepted).path("id").asText();
        assertThat(accepted.headers().firstValue("Location")).hasValue("/v1/requests/" + id);
        var done = waitFor(http, id);
        assertThat(done.path("state").asText()).isEqualTo("succeeded");
        assertThat(done.path("result").path("body").toString()).isEqualTo("{\"job\":1}");
        assertThat(done.has("traceId")).as("no trace sent, none kept").isFalse();
        var result = http.get("/v1/requests/" + id + "/result");
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("{\"job\":1}");
        assertThat(http.postJson("/v1/services/echo/echo?async=true", "{}").statusCode())
                .isEqualTo(202);
    }

    @Test
    void queuedWorkWakesADeploymentAtZeroWhichGoesBackToZeroWhenTheQueueDrains() {
        flowhost.deploy(TestJars.exampleBytes("echo"), ScalingTest.QUICK + "&idle-timeout=2s");
        await().atMost(Duration.ofSeconds(30)).until(() -> instances(http) == 0);

        var id = Http.json(submit(http, "/v1/services/echo/echo", "{\"woke\": true}"))
                .path("id")
                .asText();

        assertThat(waitFor(http, id).path("state").asText()).isEqualTo("succeeded");
        await().atMost(Duration.ofSeconds(30)).until(() -> instances(http) == 0);
    }

    private static int instances(Http http) {
        return Http.json(http.get("/v1/status/echo"))
                .path("services")
                .path(0)
                .path("instances")
                .size();
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameRequest() {
        flowhost.deploy(TestJars.exampleBytes("echo"));

        var first = submit(http, "/v1/services/echo/echo", "{}", "Idempotency-Key", "order-7");
        var again = submit(http, "/v1/services/echo/echo", "{}", "Idempotency-Key", "order-7");
        var other = submit(http, "/v1/services/echo/echo", "{}", "Idempotency-Key", "order-8");

        assertThat(Http.json(again).path("id").asText())
                .isEqualTo(Http.json(first).path("id").asText());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(Http.json(other).path("id").asText())
                .isNotEqualTo(Http.json(first).path("id").asText());
    }

    @Test
    void pastTheQueueLimitSubmitsGet429AndAQueuedRequestCanBeCancelled() {
        flowhost.deploy(trouble(), "?max-queued=1&max-instances=1&max-concurrency=1&target-in-flight=1");
        var running = queueWaiter();
        await().atMost(RUNNING_WITHIN).until(() -> state(running).equals("running"));
        var queued = Http.json(submit(http, "/v1/services/trouble/sleep", "{\"ms\": 1}"))
                .path("id")
                .asText();

        var refused = submit(http, "/v1/services/trouble/sleep", "{\"ms\": 1}");

        assertProblem(refused, 429, "queue-full");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        var cancelled = http.send(http.request("/v1/requests/" + queued).DELETE());
        assertThat(Http.json(cancelled).path("state").asText()).isEqualTo("cancelled");
        var again = http.send(http.request("/v1/requests/" + queued).DELETE()); // DELETE is idempotent
        assertThat(Http.json(again).path("state").asText()).isEqualTo("cancelled");
        assertProblem(http.send(http.request("/v1/requests/" + running).DELETE()), 409, "conflict");
        Gate.open(http);
        assertThat(waitFor(http, running).path("state").asText()).isEqualTo("succeeded");
        assertProblem(http.get("/v1/requests/no-such-request"), 404, "not-found");
    }

    @Test
    void endpointsDeclaredSyncOnlyOrAsyncOnlyRefuseTheOtherWay() {
        flowhost.deploy(trouble());

        assertProblem(http.postJson("/v1/services/trouble/report", "{}"), 400, "bad-request");
        assertProblem(submit(http, "/v1/services/trouble/now", "{}"), 400, "bad-request");
        var report = Http.json(submit(http, "/v1/services/trouble/report", "{}"))
                .path("id")
                .asText();
        assertThat(waitFor(http, report)
                        .path("result")
                        .path("body")
                        .path("report")
                        .asText())
                .isEqualTo("done");
    }

    @Test
    void aRequestWhoseInstanceIsKilledIsRunAgainAndSucceeds() {
        flowhost.deploy(trouble(), "?max-instances=1");
        var id = queueWaiter();
        await().atMost(RUNNING_WITHIN).until(() -> state(id).equals("running"));
        // Running is leased, not yet at the instance: killed before the call reached it, the call would be held for
        // the next instance and run there as the same attempt. Kill it once it has the call.
        await().atMost(RUNNING_WITHIN).until(() -> Gate.waiting(http) == 1);
        long pid = Http.json(http.get("/v1/services/trouble"))
                .path("instances")
                .path(0)
                .path("pid")
                .asLong();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        // Its second run waits on a new instance, whose gate is closed again.
        await().atMost(RUNNING_WITHIN)
                .until(() -> Http.json(http.get("/v1/requests/" + id))
                                        .path("attempts")
                                        .asInt()
                                == 2
                        && state(id).equals("running"));
        Gate.open(http);
        var done = waitFor(http, id);
        assertThat(done.path("state").asText()).isEqualTo("succeeded");
        assertThat(done.path("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void aRequestThatKeepsKillingItsInstanceFailsAfterItsAttemptsWithTheReason() {
        flowhost.deploy(trouble(), "?max-attempts=2");

        var id = Http.json(submit(http, "/v1/services/trouble/exit", "{}"))
                .path("id")
                .asText();

        var done = waitFor(http, id);
        assertThat(done.path("state").asText()).isEqualTo("failed");
        assertThat(done.path("attempts").asInt()).isEqualTo(2);
        assertThat(done.path("error").asText()).contains("502");
    }

    @Test
    void manyConcurrentSubmittersAreAllAcceptedOnceAndAllRun() throws Exception {
        flowhost.deploy(TestJars.exampleBytes("echo"));
        var ids = new CopyOnWriteArrayList<String>();
        try (var pool = Executors.newFixedThreadPool(16)) {
            var calls = new ArrayList<CompletableFuture<Void>>();
            for (int i = 0; i < 400; i++) {
                var body = "{\"n\":" + i + "}";
                calls.add(CompletableFuture.runAsync(
                        () -> {
                            var response = submit(http, "/v1/services/echo/echo", body);
                            assertThat(response.statusCode()).isEqualTo(202);
                            ids.add(Http.json(response).path("id").asText());
                        },
                        pool));
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
        }
        assertThat(new HashSet<>(ids)).hasSize(400);
        for (var id : ids) {
            assertThat(waitFor(http, id).path("state").asText()).isEqualTo("succeeded");
        }
    }

    @Test
    void killingTheServerWithSigkillLosesNoAcceptedRequest() throws Exception {
        var java = ProcessHandle.current().info().command().orElseThrow();
        var child = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ServerProcessMain.class.getName(),
                        dataDir.toString()))
                .redirectErrorStream(true)
                .start();
        var ids = new ArrayList<String>();
        try {
            var out = new BufferedReader(new InputStreamReader(child.getInputStream()));
            String line;
            int port = -1;
            while (port < 0 && (line = out.readLine()) != null) {
                if (line.startsWith("port=")) {
                    port = Integer.parseInt(line.substring(5));
                }
            }
            Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
            var http = new Http(URI.create("http://127.0.0.1:" + port));
            var deployed = http.deploy(trouble(), "?max-instances=1&max-concurrency=1&target-in-flight=1");
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
            for (int i = 0; i < 6; i++) {
                var accepted = submit(
                        http,
                        "/v1/services/trouble/sleep",
                        "{\"ms\": 500}",
                        "traceparent",
                        "00-" + traceId(i) + "-00f067aa0ba902b7-01");
                assertThat(accepted.statusCode()).isEqualTo(202);
                assertThat(Http.json(accepted).path("traceId").asText()).isEqualTo(traceId(i));
                ids.add(Http.json(accepted).path("id").asText());
            }
            // Killed once the first has started: running then, or already done on a fast machine.
            await().atMost(RUNNING_WITHIN)
                    .until(() -> !Http.json(http.get("/v1/requests/" + ids.getFirst()))
                            .path("state")
                            .asText()
                            .equals("queued"));

            child.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed on the way out
            child.waitFor();
        } finally {
            child.toHandle().destroyForcibly();
        }

        // The same data dir, as the killed server's restart.
        try (var server = FlowhostServer.start(TestSettings.defaults(dataDir))) {
            var restarted = new Http(server.uri());
            for (int i = 0; i < ids.size(); i++) {
                var done = waitFor(restarted, ids.get(i));
                assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
                assertThat(done.path("result").path("body").path("slept").asInt())
                        .isEqualTo(500);
                assertThat(done.path("traceId").asText()).isEqualTo(traceId(i));
            }
            // Each run kept the caller's traceparent through the kill: with tracing off, its log line carries the
            // trace id the dispatcher sent.
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(asyncRunTraceIds())
                            .containsAll(IntStream.range(0, ids.size())
                                    .mapToObj(AsyncTest::traceId)
                                    .toList()));
        }
    }

    private static String traceId(int i) {
        return "4bf92f3577b34da6a3ce929d0e0e47" + String.format("%02x", i + 1);
    }

    /** The trace ids on the request log's lines of async runs that succeeded. */
    private List<String> asyncRunTraceIds() throws IOException {
        var json = new ObjectMapper();
        var out = new ArrayList<String>();
        for (var line : Files.readAllLines(dataDir.resolve("logs/requests.log"))) {
            var node = json.readTree(line);
            if (node.path("mode").asText().equals("async-run")
                    && node.path("status").asInt() == 200) {
                out.add(node.path("traceId").asText());
            }
        }
        return out;
    }
}
