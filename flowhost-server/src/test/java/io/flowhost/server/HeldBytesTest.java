package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.server.http.Limits;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Calls held while they wait for an instance are bounded by what their bodies weigh, not only by their
 * number: past the gateway's byte budget a call gets 503 with Retry-After, and the held ones still run.
 */
@Tag("e2e")
class HeldBytesTest {

    private static final int BUDGET = 1024 * 1024;

    @RegisterExtension
    final RunningServer flowhost =
            new RunningServer(settings -> settings.withLimits(Limits.defaults().withMaxHeldBytes(BUDGET)));

    private static String bodyOf(int bytes) {
        return "{\"ms\": 1, \"pad\": \"" + "x".repeat(bytes) + "\"}";
    }

    @Test
    void aCallThatWouldPassTheHeldBytesBudgetGets503AndTheHeldOnesRun() throws Exception {
        var busy = BusyTrouble.deploy(flowhost);
        var http = flowhost.http();
        CompletableFuture<HttpResponse<String>> heldCall =
                flowhost.async(() -> http.postJson("/v1/services/trouble/sleep", bodyOf(600 * 1024)));
        await().atMost(Duration.ofSeconds(30)).until(() -> BusyTrouble.held(http) == 1);

        var refused = http.postJson("/v1/services/trouble/sleep", bodyOf(600 * 1024));

        assertProblem(refused, 503, "not-ready");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(Http.json(refused).path("detail").asText()).contains("--max-held-bytes");
        Gate.open(http);
        assertThat(busy.get().statusCode()).isEqualTo(200);
        assertThat(heldCall.get().statusCode()).isEqualTo(200);
        // The budget is given back: a call of the same size is held and answered now.
        assertThat(http.postJson("/v1/services/trouble/sleep", bodyOf(600 * 1024))
                        .statusCode())
                .isEqualTo(200);
    }
}
