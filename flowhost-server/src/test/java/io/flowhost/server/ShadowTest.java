package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A shadow version gets copies of calls; callers only ever see the primary's answers. Real server, real JVMs. */
@Tag("e2e")
class ShadowTest {

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
    void aShadowNeverChangesThePrimarysAnswersAndItsDisagreementsAreLoggedWithBothAnswers() throws IOException {
        var shadow = flowhost.deploy(MODEL, "?set=version=2&shadow=100");
        assertThat(shadow.path("variant").asText()).isEqualTo("shadow");

        for (int i = 0; i < 60; i++) {
            var answer = http.postJson("/v1/services/model/predict", "{\"x\":" + i + "}");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(Http.json(answer).path("version").asText()).isEqualTo("1");
        }

        var view = awaitEveryCopy(60);
        assertThat(view.path("agreement").asDouble()).isZero();
        long compared = view.path("compared").asLong();
        var log = flowhost.dataDir().resolve("predictions/model-v2/shadow-disagreements.jsonl");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(log) && lines(log).size() == compared);
        var first = new ObjectMapper().readTree(lines(log).getFirst());
        assertThat(first.path("variant").asText()).isEqualTo("shadow");
        assertThat(first.path("deployment").asText()).isEqualTo("model-v2");
        assertThat(first.path("request").path("x").isInt())
                .as("the request, kept")
                .isTrue();
        assertThat(first.path("response").path("version").asText()).isEqualTo("2");
        assertThat(first.path("primary").path("deployment").asText()).isEqualTo("model-v1");
        assertThat(first.path("primary").path("response").path("version").asText())
                .isEqualTo("1");
        assertThat(first.path("difference").asText()).isEqualTo("$.version: \"2\", the primary's \"1\"");
        assertThat(http.get("/metrics").body())
                .contains("flowhost_shadow_copies_total{deployment=\"model-v2\",outcome=\"disagreed\"}");
    }

    @Test
    void aShadowThatAnswersTheSameAgreesWithinTheTolerance() {
        flowhost.deploy(MODEL, "?set=version=1&shadow=100&tolerance=0.001");

        for (int i = 0; i < 30; i++) {
            assertThat(http.postJson("/v1/services/model/predict", "{\"x\":1}").statusCode())
                    .isEqualTo(200);
        }

        awaitEveryCopy(30);
        assertThat(shadowView().path("agreement").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aFailingShadowNeverFailsTheCaller() {
        flowhost.deploy(MODEL, "?set=version=2&set=fail-after=0&shadow=100&min-calls=1000");

        for (int i = 0; i < 40; i++) {
            var answer = http.postJson("/v1/services/model/predict", "{\"x\":1}");
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(Http.json(answer).path("version").asText()).isEqualTo("1");
        }

        var view = awaitEveryCopy(40);
        assertThat(view.path("compared").asLong()).isPositive();
        assertThat(view.path("errors").asLong()).isEqualTo(view.path("compared").asLong());
        assertThat(view.path("agreement").asDouble()).isZero();
    }

    @Test
    void copiesAreDroppedAndCountedWhenTheShadowHasNoRoom() {
        // One call at a time, each taking 300 ms: most copies of calls made by four callers find it busy.
        flowhost.deploy(
                MODEL,
                "?set=version=1&set=delay-ms=300&shadow=100&max-concurrency=1&target-in-flight=1&max-instances=1");
        var callers = new ArrayList<CompletableFuture<List<Integer>>>();
        for (int c = 0; c < 4; c++) {
            callers.add(flowhost.async(() -> {
                var statuses = new ArrayList<Integer>();
                for (int i = 0; i < 25; i++) {
                    statuses.add(http.postJson("/v1/services/model/predict", "{\"x\":1}")
                            .statusCode());
                }
                return statuses;
            }));
        }
        for (var caller : callers) {
            assertThat(caller.join()).containsOnly(200);
        }

        var view = awaitEveryCopy(100);
        assertThat(view.path("dropped").asLong()).isPositive();
    }

    /**
     * The shadow's line once each of {@code calls} copies was compared or dropped (a new JVM is slow at first: copies
     * that find it busy are dropped, never held).
     */
    private JsonNode awaitEveryCopy(long calls) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var view = shadowView();
            return view.path("compared").asLong() + view.path("dropped").asLong() == calls;
        });
        var view = shadowView();
        assertThat(view.path("compared").asLong()).isPositive();
        return view;
    }

    /** The shadow's line of {@code rollout status}. */
    private JsonNode shadowView() {
        var status = Http.json(http.get("/v1/rollouts/model"));
        for (var version : status.path("versions")) {
            if (version.path("variant").asText().equals("shadow")) {
                return version;
            }
        }
        throw new AssertionError("no shadow in " + status);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
