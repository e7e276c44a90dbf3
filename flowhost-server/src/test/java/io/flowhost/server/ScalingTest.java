package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Autoscaling end to end, with real instances: scale to zero when idle and back on the next call
 * (held, not dropped), holding beyond an instance's concurrency, scaling up under load and down
 * without cutting calls, and retrying calls an instance never received.
 */
@Tag("e2e")
class ScalingTest {

    /** Short windows so that the autoscaler acts within seconds. */
    static final String QUICK = "?stable-window=2s&panic-window=1s&scale-down-delay=0s";

    /** Conditions that depend on calls reaching the server and instances starting, on a loaded 2-core machine. */
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @RegisterExtension
    final RunningServer flowhost = // the path from zero as it runs by default: through a warm spare
            new RunningServer(settings -> settings.withWarmSpares(ServerSettings.DEFAULT_WARM_SPARES));

    Http http;

    @BeforeEach
    void client() {
        http = flowhost.http();
    }

    private JsonNode status(String service) {
        return Http.json(http.get("/v1/status/" + service)).path("services").path(0);
    }

    private List<String> states(String service) {
        var out = new ArrayList<String>();
        status(service).path("instances").forEach(i -> out.add(i.path("state").asText()));
        return out;
    }

    /** A call to {@code trouble/wait}, in flight until {@link #openGate} lets it answer. */
    private CompletableFuture<HttpResponse<String>> waiter() {
        return flowhost.async(() -> http.postJson("/v1/services/trouble/wait", "{}"));
    }

    private byte[] trouble() {
        return TestJars.of(TestServices.Trouble.class, TestServices.Order.class);
    }

    @Test
    void anIdleServiceScalesToZeroAndItsNextCallsAreHeldAndAnsweredWhileItWakes() throws Exception {
        flowhost.deploy(TestJars.exampleBytes("echo"), QUICK + "&idle-timeout=2s");

        await().atMost(PATIENCE).until(() -> states("echo").isEmpty());
        assertThat(status("echo").path("lastDecision").path("reason").asText()).contains("idle");

        var calls = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 20; i++) {
            var body = "{\"n\":" + i + "}";
            calls.add(flowhost.async(() -> http.postJson("/v1/services/echo/echo", body)));
        }
        for (int i = 0; i < calls.size(); i++) {
            var response = calls.get(i).get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"n\":" + i + "}");
        }
        assertThat(states("echo")).contains("ready");
        var instance = status("echo").path("instances").path(0);
        assertThat(instance.path("coldStartBreakdownMs").path("constructor").isNumber())
                .isTrue();
    }

    @Test
    void callsBeyondAnInstancesConcurrencyWaitInTheGateway() throws Exception {
        flowhost.deploy(trouble(), "?max-concurrency=1&target-in-flight=1&max-instances=1");

        var first = waiter();
        await().atMost(PATIENCE).until(() -> status("trouble").path("inFlight").asInt() == 1);
        var second = flowhost.async(() -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 10}"));

        await().atMost(PATIENCE).until(() -> status("trouble").path("held").asInt() == 1);
        Gate.open(http);
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(second.get().statusCode()).isEqualTo(200);
        assertThat(second.get().body()).isEqualTo("{\"slept\":10}");
    }

    @Test
    void aCallHeldLongerThanTheHoldTimeoutGets503SayingSo() throws Exception {
        // hold-timeout, not startup-timeout: the instance itself may take longer than 1 s to start on a busy machine.
        flowhost.deploy(trouble(), "?max-concurrency=1&target-in-flight=1&max-instances=1&hold-timeout=1s");

        var busy = waiter();
        await().atMost(PATIENCE).until(() -> status("trouble").path("inFlight").asInt() == 1);
        var late = http.postJson("/v1/services/trouble/greeting", "{}");

        var held = http.get("/v1/services/trouble/greeting");
        assertProblem(held, 503, "not-ready");
        assertThat(Http.json(held).path("detail").asText()).contains("within 1 s");
        assertThat(late.statusCode()).isEqualTo(405); // POST to a GET endpoint: answered at the gateway, never held
        Gate.open(http);
        assertThat(busy.get().statusCode()).isEqualTo(200);
    }

    @Test
    void pastTheHeldLimitCallsGet503WithRetryAfter() throws Exception {
        flowhost.deploy(trouble(), "?max-concurrency=1&target-in-flight=1&max-instances=1&max-held=1");

        var busy = waiter();
        await().atMost(PATIENCE).until(() -> status("trouble").path("inFlight").asInt() == 1);
        var waiting = flowhost.async(() -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 1}"));
        await().atMost(PATIENCE).until(() -> status("trouble").path("held").asInt() == 1);

        var refused = http.postJson("/v1/services/trouble/sleep", "{\"ms\": 1}");

        assertProblem(refused, 503, "not-ready");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(Http.json(refused).path("detail").asText()).contains("waiting");
        Gate.open(http);
        assertThat(busy.get().statusCode()).isEqualTo(200);
        assertThat(waiting.get().statusCode()).isEqualTo(200);
    }

    @Test
    void loadScalesUpAndScalingDownLetsTheCallInProgressFinish() throws Exception {
        flowhost.deploy(trouble(), QUICK + "&max-concurrency=1&target-in-flight=1&max-instances=3&idle-timeout=60s");

        var load = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 6; i++) {
            load.add(flowhost.async(() -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 3000}")));
        }
        await().atMost(PATIENCE)
                .until(() -> states("trouble").stream().filter("ready"::equals).count() >= 2);
        for (var call : load) {
            assertThat(call.get().statusCode()).isEqualTo(200);
        }

        // One long call keeps one instance busy while the others are no longer wanted.
        var longCall = flowhost.async(() -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 5000}"));
        await().atMost(PATIENCE)
                .until(() -> states("trouble").stream().filter("ready"::equals).count() == 1);

        assertThat(longCall.get().statusCode()).isEqualTo(200);
        assertThat(longCall.get().body()).isEqualTo("{\"slept\":5000}");
    }

    @Test
    void callsForAnInstanceKilledWithSigkillAreSentToTheOtherOne() throws Exception {
        flowhost.deploy(TestJars.exampleBytes("echo"), "?min-instances=2");
        await().atMost(PATIENCE)
                .until(() -> states("echo").stream().filter("ready"::equals).count() == 2);
        long victim = status("echo").path("instances").path(0).path("pid").asLong();

        var dying = ProcessHandle.of(victim).orElseThrow();
        dying.destroyForcibly();
        dying.onExit().get(); // dead, as a crashed instance is by the time calls come for it

        for (int i = 0; i < 40; i++) {
            var response = http.postJson("/v1/services/echo/echo", "{\"i\":" + i + "}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        await().atMost(PATIENCE)
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
