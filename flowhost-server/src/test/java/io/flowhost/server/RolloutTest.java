package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowhost.domain.rollout.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two versions of a service side by side, over a real server with real instance JVMs. */
@Tag("e2e")
class RolloutTest {

    private static final byte[] MODEL = TestJars.of(TestServices.Versioned.class);

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    Http http;

    @BeforeEach
    void primary() {
        http = flowhost.http();
        flowhost.deploy(MODEL, "?set=version=1");
    }

    @Test
    void aCanaryAnswersItsShareOfCallsAndTheRestStayOnThePrimary() throws IOException {
        var canary = flowhost.deploy(MODEL, "?set=version=2&canary=20&prediction-sample-rate=1");
        assertThat(canary.path("variant").asText()).isEqualTo("canary");
        assertThat(canary.path("share").asInt()).isEqualTo(20);

        int n = 400;
        int onCanary = 0;
        for (int i = 0; i < n; i++) {
            onCanary += version(call(null)).equals("2") ? 1 : 0;
        }

        // Binomial(400, 0.2): mean 80, sd 8; four sd either side fails a correct split once in 15,000 runs.
        assertThat(onCanary).isBetween(48, 112);
        assertThat(Http.json(http.get("/v1/deployments/model-v1")).path("state").asText())
                .isEqualTo("active");
    }

    @Test
    void theSameRouteKeyAlwaysGetsTheSameVersion() {
        flowhost.deploy(MODEL, "?set=version=2&canary=30");

        for (int k = 0; k < 40; k++) {
            var key = "user-" + k;
            var expected = new Split(30).toOther(key) ? "2" : "1";
            for (int i = 0; i < 4; i++) {
                assertThat(version(call(key))).as("key %s, call %d", key, i).isEqualTo(expected);
            }
        }
    }

    @Test
    void aDeploymentNamedHeaderKeepsCallersOnOneVersionToo() {
        flowhost.deploy(MODEL, "?set=version=2&canary=50&route-key-header=X-User-Id");

        for (int k = 0; k < 20; k++) {
            var key = "u" + k;
            var expected = new Split(50).toOther(key) ? "2" : "1";
            for (int i = 0; i < 3; i++) {
                var answer = http.send(http.request("/v1/services/model/predict")
                        .header("Content-Type", "application/json")
                        .header("X-User-Id", key)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"x\":1}")));
                assertThat(version(answer)).isEqualTo(expected);
            }
        }
    }

    @Test
    void anAsyncCallRunsOnTheVersionThatAcceptedIt() {
        flowhost.deploy(MODEL, "?set=version=2&canary=50");
        var accepted = new ArrayList<JsonNode>();
        for (int i = 0; i < 16; i++) {
            var answer = http.send(http.request("/v1/services/model/predict")
                    .header("Content-Type", "application/json")
                    .header("Prefer", "respond-async")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"x\":" + i + "}")));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            accepted.add(Http.json(answer));
        }

        var versions = new HashMap<String, Integer>();
        for (var request : accepted) {
            var location = "/v1/requests/" + request.path("id").asText();
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            Http.json(http.get(location)).path("state").asText().equals("succeeded"));
            var done = Http.json(http.get(location));
            var deployment = done.path("deployment").asText();
            var answered = done.path("result").path("body").path("version").asText();
            assertThat(deployment).isEqualTo("model-v" + answered);
            versions.merge(answered, 1, Integer::sum);
        }
        assertThat(versions)
                .as("both versions accepted some of 16 calls at 50%%")
                .containsKeys("1", "2");
    }

    @Test
    void promotingAndRollingBackUnderSteadyLoadFailNoCall() {
        flowhost.deploy(MODEL, "?set=version=2&canary=50");
        try (var load = new Load(http)) {
            load.until(200);

            var promoted = post("/v1/rollouts/model/promote");
            assertThat(promoted.path("state").asText()).isEqualTo("promoted");
            int before = load.calls();
            load.until(before + 200);
            assertThat(load.versionsSince(before)).as("after the promotion").containsOnly("2");

            flowhost.deploy(MODEL, "?set=version=3&canary=50");
            load.until(load.calls() + 200);
            var rolledBack = post("/v1/rollouts/model/rollback");
            assertThat(rolledBack.path("state").asText()).isEqualTo("rolled_back");
            before = load.calls();
            load.until(before + 200);
            assertThat(load.versionsSince(before)).as("after the rollback").containsOnly("2");

            assertThat(load.failures()).as("calls that failed").isEmpty();
        }
        assertThat(Http.json(http.get("/v1/deployments/model-v1")).path("state").asText())
                .isEqualTo("retired");
        assertThat(Http.json(http.get("/v1/deployments/model-v3")).path("state").asText())
                .isEqualTo("retired");
    }

    @Test
    void aCanaryThatStartsFailingIsRolledBackByItselfWithin30Seconds() {
        flowhost.deploy(MODEL, "?set=version=2&set=fail-after=20&canary=50&min-calls=10");
        try (var load = new Load(http)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> load.firstFailure() != null);
            long failingSince = load.firstFailure();

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> status().path("state").asText().equals("rolled_back"));
            long rolledBackAfter = System.nanoTime() - failingSince;

            assertThat(Duration.ofNanos(rolledBackAfter)).isLessThan(Duration.ofSeconds(30));
            var last = status().path("history").get(status().path("history").size() - 1);
            assertThat(last.path("action").asText()).isEqualTo("rollback");
            assertThat(last.path("by").asText()).isEqualTo("flowhost");
            assertThat(last.path("reason").asText()).contains("error rate");
            int after = load.calls();
            load.until(after + 100);
            assertThat(load.versionsSince(after)).containsOnly("1");
        }
        // The audit trail is written by its own thread, after the rollback it records.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Http.json(http.get("/v1/audit")).toString().contains("rollout.rollback"));
    }

    @Test
    void aRolloutStepsThroughItsPlanAndPromotesItselfWhenHealthy() {
        flowhost.deploy(MODEL, "?set=version=2&canary=20&steps=20,60,100&bake=1s&min-calls=5");
        try (var load = new Load(http)) {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> status().path("state").asText().equals("promoted"));
            assertThat(load.failures()).isEmpty();
        }
        var history = status().path("history");
        var actions = new ArrayList<String>();
        history.forEach(h ->
                actions.add(h.path("action").asText() + " " + h.path("percent").asInt()));
        assertThat(actions).containsExactly("deploy 20", "advance 60", "advance 100", "promote 100");
        assertThat(Http.json(http.get("/v1/deployments/model-v1")).path("state").asText())
                .isEqualTo("retired");
    }

    @Test
    void aRestartInMidRolloutResumesItWhereItWas() {
        flowhost.deploy(MODEL, "?set=version=2&canary=10&steps=10,50,100&bake=1h");
        post("/v1/rollouts/model/start?steps=30,100&bake=1h");
        var before = status();

        flowhost.restart();
        http = flowhost.http();

        var after = status();
        assertThat(after.path("state").asText()).isEqualTo("running");
        assertThat(after.path("share").asInt()).isEqualTo(30);
        assertThat(after.path("step").asInt()).isEqualTo(0);
        assertThat(after.path("since")).isEqualTo(before.path("since"));
        assertThat(after.path("history")).isEqualTo(before.path("history"));
        var seen = ConcurrentHashMap.<String>newKeySet();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            seen.add(version(call(null)));
            return seen.containsAll(List.of("1", "2"));
        });
    }

    @Test
    void aNewerCanaryOrAPlainDeployEndsTheRolloutBeforeIt() {
        flowhost.deploy(MODEL, "?set=version=2&canary=10");
        flowhost.deploy(MODEL, "?set=version=3&canary=20");

        assertThat(Http.json(http.get("/v1/deployments/model-v2")).path("state").asText())
                .isEqualTo("retired");
        assertThat(status().path("candidate").asText()).isEqualTo("model-v3");
        assertThat(status().path("share").asInt()).isEqualTo(20);

        flowhost.deploy(MODEL, "?set=version=4");

        var after = status();
        assertThat(after.path("candidate").asText()).isEqualTo("model-v3");
        assertThat(after.path("state").asText()).isEqualTo("rolled_back");
        var last = after.path("history").get(after.path("history").size() - 1);
        assertThat(last.path("reason").asText()).isEqualTo("replaced by model-v4");
        assertThat(after.path("versions")).hasSize(1);
        assertThat(version(call(null))).isEqualTo("4");
    }

    @Test
    void undeployingThePrimaryTakesItsCanaryWithItAndEndsTheRollout() {
        flowhost.deploy(MODEL, "?set=version=2&canary=10");

        var undeployed = http.send(http.request("/v1/deployments/model-v1").DELETE());

        assertThat(undeployed.statusCode()).isEqualTo(200);
        assertThat(Http.json(http.get("/v1/deployments/model-v2")).path("state").asText())
                .isEqualTo("retired");
        assertThat(http.postJson("/v1/services/model/predict", "{}").statusCode())
                .isEqualTo(404);
        var rollout = Http.json(http.get("/v1/deployments")).toString();
        assertThat(rollout).doesNotContain("\"state\":\"active\"");
    }

    @Test
    void rolloutCommandsWithoutACanaryAreRefusedSayingWhatToDo() {
        var answer = http.send(http.request("/v1/rollouts/model/promote").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(Http.json(answer).path("detail").asText()).contains("--canary 10");

        var unknown = http.get("/v1/rollouts/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);

        var badShare = http.deploy(MODEL, "?canary=120");
        assertThat(badShare.statusCode()).isEqualTo(400);
        assertThat(Http.json(badShare).path("detail").asText()).contains("0 to 100");

        var both = http.deploy(MODEL, "?canary=10&shadow=10");
        assertThat(both.statusCode()).isEqualTo(400);
    }

    /** The prediction lines a deployment's instances wrote. */
    private static List<String> predictionLines(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.walk(dir)) {
            var lines = new ArrayList<String>();
            for (var f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                lines.addAll(Files.readAllLines(f));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> call(String routeKey) {
        var request = http.request("/v1/services/model/predict")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"x\":1}"));
        if (routeKey != null) {
            request.header("X-Flowhost-Route-Key", routeKey);
        }
        return http.send(request);
    }

    private static String version(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Http.json(answer).path("version").asText();
    }

    private JsonNode status() {
        var answer = http.get("/v1/rollouts/model");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Http.json(answer);
    }

    private JsonNode post(String path) {
        var answer = http.send(http.request(path).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Http.json(answer);
    }

    /** Two callers calling one after another until closed; each answer's version or failure is kept in order. */
    static final class Load implements AutoCloseable {

        private final List<String> answers = Collections.synchronizedList(new ArrayList<>());
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<CompletableFuture<Void>> callers = new ArrayList<>();
        private volatile Long firstFailure;

        Load(Http http) {
            for (int c = 0; c < 2; c++) {
                callers.add(CompletableFuture.runAsync(
                        () -> {
                            while (running.get()) {
                                var answer = http.postJson("/v1/services/model/predict", "{\"x\":1}");
                                if (answer.statusCode() == 200) {
                                    answers.add(
                                            Http.json(answer).path("version").asText());
                                } else {
                                    if (firstFailure == null) {
                                        firstFailure = System.nanoTime();
                                    }
                                    failures.add(answer.statusCode() + " " + answer.body());
                                }
                            }
                        },
                        runnable -> Thread.ofVirtual().start(runnable)));
            }
        }

        int calls() {
            return answers.size();
        }

        /** Waits until {@code n} calls were answered 200. */
        void until(int n) {
            await().atMost(Duration.ofSeconds(60)).until(() -> answers.size() >= n);
        }

        List<String> versionsSince(int from) {
            synchronized (answers) {
                return List.copyOf(answers.subList(from, answers.size()));
            }
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        Long firstFailure() {
            return firstFailure;
        }

        @Override
        public void close() {
            running.set(false);
            callers.forEach(CompletableFuture::join);
        }
    }
}
