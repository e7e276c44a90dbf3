package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Autoscaling end to end, with real instances: scale to zero when idle and back on the next call
 * (held, not dropped), holding beyond an instance's concurrency, scaling up under load and down
 * without cutting calls, and retrying calls an instance never received.
 */
@Tag("e2e")
class ScalingTest {

    /** Short windows so that the autoscaler acts within seconds. */
    static final String QUICK = "?stable-window=2s&panic-window=1s&scale-down-delay=0s";

    @TempDir
    Path dataDir;

    FlowhostServer server;
    Http http;

    @BeforeEach
    void start() {
        server = FlowhostServer.start(ServerSettings.defaults(dataDir).withPort(0));
        http = new Http(server.uri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode status(String service) {
        return Http.json(http.get("/v1/status/" + service)).path("services").path(0);
    }

    private List<String> states(String service) {
        var out = new ArrayList<String>();
        status(service).path("instances").forEach(i -> out.add(i.path("state").asText()));
        return out;
    }

    private byte[] trouble() {
        return TestJars.of(TestServices.Trouble.class, TestServices.Order.class);
    }

    @Test
    void anIdleServiceScalesToZeroAndItsNextCallsAreHeldAndAnsweredWhileItWakes() throws Exception {
        assertThat(http.deploy(TestJars.exampleBytes("echo"), QUICK + "&idle-timeout=2s")
                        .statusCode())
                .isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> states("echo").isEmpty());
        assertThat(status("echo").path("lastDecision").path("reason").asText()).contains("idle");

        try (var pool = Executors.newFixedThreadPool(8)) {
            var calls = new ArrayList<CompletableFuture<HttpResponse<String>>>();
            for (int i = 0; i < 20; i++) {
                var body = "{\"n\":" + i + "}";
                calls.add(CompletableFuture.supplyAsync(() -> http.postJson("/v1/services/echo/echo", body), pool));
            }
            for (int i = 0; i < calls.size(); i++) {
                var response = calls.get(i).get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("{\"n\":" + i + "}");
            }
        }
        assertThat(states("echo")).contains("ready");
        var instance = status("echo").path("instances").path(0);
        assertThat(instance.path("coldStartBreakdownMs").path("constructor").isNumber())
                .isTrue();
    }

    @Test
    void callsBeyondAnInstancesConcurrencyWaitInTheGateway() throws Exception {
        http.deploy(trouble(), "?max-concurrency=1&target-in-flight=1&max-instances=1");

        var first = CompletableFuture.supplyAsync(() -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 1500}"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> status("trouble").path("inFlight").asInt() == 1);
        var second = CompletableFuture.supplyAsync(() -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 10}"));

        await().atMost(Duration.ofSeconds(5))
                .until(() -> status("trouble").path("held").asInt() == 1);
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(second.get().statusCode()).isEqualTo(200);
        assertThat(second.get().body()).isEqualTo("{\"slept\":10}");
    }

    @Test
    void aCallHeldLongerThanTheHoldTimeoutGets503SayingSo() throws Exception {
        // hold-timeout, not startup-timeout: the instance itself may take longer than 1 s to start on a busy machine.
        var deployed = http.deploy(trouble(), "?max-concurrency=1&target-in-flight=1&max-instances=1&hold-timeout=1s");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

        var busy = CompletableFuture.supplyAsync(() -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 3000}"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> status("trouble").path("inFlight").asInt() == 1);
        var late = http.postJson("/v1/services/trouble/greeting", "{}");

        assertProblem(http.get("/v1/services/trouble/greeting"), 503, "not-ready");
        assertThat(late.statusCode()).isEqualTo(405); // POST to a GET endpoint: answered at the gateway, never held
        assertThat(busy.get().statusCode()).isEqualTo(200);
    }

    @Test
    void pastTheHeldLimitCallsGet503WithRetryAfter() throws Exception {
        http.deploy(trouble(), "?max-concurrency=1&target-in-flight=1&max-instances=1&max-held=1");

        var busy = CompletableFuture.supplyAsync(() -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 2000}"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> status("trouble").path("inFlight").asInt() == 1);
        var waiting = CompletableFuture.supplyAsync(() -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 1}"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> status("trouble").path("held").asInt() == 1);

        var refused = http.postJson("/v1/services/trouble/sleep", "{\"ms\": 1}");

        assertProblem(refused, 503, "not-ready");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(Http.json(refused).path("detail").asText()).contains("waiting");
        assertThat(busy.get().statusCode()).isEqualTo(200);
        assertThat(waiting.get().statusCode()).isEqualTo(200);
    }

    @Test
    void loadScalesUpAndScalingDownLetsTheCallInProgressFinish() throws Exception {
        http.deploy(trouble(), QUICK + "&max-concurrency=1&target-in-flight=1&max-instances=3&idle-timeout=60s");

        try (var pool = Executors.newFixedThreadPool(6)) {
            var load = new ArrayList<CompletableFuture<HttpResponse<String>>>();
            for (int i = 0; i < 6; i++) {
                load.add(CompletableFuture.supplyAsync(
                        () -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 3000}"), pool));
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            states("trouble").stream().filter("ready"::equals).count() >= 2);
            for (var call : load) {
                assertThat(call.get().statusCode()).isEqualTo(200);
            }
        }

        // One long call keeps one instance busy while the others are no longer wanted.
        var longCall =
                CompletableFuture.supplyAsync(() -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 5000}"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> states("trouble").stream().filter("ready"::equals).count() == 1);

        assertThat(longCall.get().statusCode()).isEqualTo(200);
        assertThat(longCall.get().body()).isEqualTo("{\"slept\":5000}");
    }

    @Test
    void callsForAnInstanceKilledWithSigkillAreSentToTheOtherOne() throws Exception {
        http.deploy(TestJars.exampleBytes("echo"), "?min-instances=2");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> states("echo").stream().filter("ready"::equals).count() == 2);
        long victim = status("echo").path("instances").path(0).path("pid").asLong();

        var dying = ProcessHandle.of(victim).orElseThrow();
        dying.destroyForcibly();
        dying.onExit().get(); // dead, as a crashed instance is by the time calls come for it

        for (int i = 0; i < 40; i++) {
            var response = http.postJson("/v1/services/echo/echo", "{\"i\":" + i + "}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> states("echo").stream().filter("ready"::equals).count() == 2);
    }

    @Test
    void invalidScalingSettingsAreRefusedNamingTheKeyTheValueAndTheRange() {
        var response = http.deploy(TestJars.exampleBytes("echo"), "?idle-timeout=0s");

        assertProblem(response, 400, "invalid-settings");
        assertThat(Http.json(response).path("detail").asText())
                .contains("idle-timeout")
                .contains("0s")
                .contains(">= 1s");
        var unknown = http.deploy(TestJars.exampleBytes("echo"), "?max-instance=3");
        assertProblem(unknown, 400, "invalid-settings");
        assertThat(Http.json(unknown).path("detail").asText())
                .contains("'max-instance'")
                .contains("max-instances");
    }
}
