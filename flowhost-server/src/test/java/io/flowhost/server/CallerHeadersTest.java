package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code X-Flowhost-*} headers are the platform's own: a caller who sends them gets the same answer,
 * and the same request-log line, as one who does not.
 */
@Tag("e2e")
class CallerHeadersTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    Http http;

    @BeforeEach
    void deploy() {
        http = flowhost.http();
        flowhost.deploy(TestJars.of(TestServices.Trouble.class, TestServices.Order.class));
    }

    private HttpRequest.Builder post(String path) {
        return http.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
    }

    @Test
    void claimingToBeTheDispatcherDoesNotRunAnAsyncOnlyEndpointNow() {
        var forged = http.send(post("/v1/services/trouble/report").header("X-Flowhost-Dispatched", "r-1"));

        assertProblem(forged, 400, "bad-request");
        assertThat(Http.json(forged).path("detail").asText()).contains("async-only");
    }

    @Test
    void claimingQueueTimeDoesNotReachTheRequestLog() {
        var forged = http.send(post("/v1/services/trouble/now")
                .header("X-Request-Id", "forged-1")
                .header("X-Flowhost-Dispatched", "r-1")
                .header("X-Flowhost-Queued-Ms", "99999"));
        assertThat(forged.statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> line("forged-1") != null);
        var line = line("forged-1");
        assertThat(line.path("mode").asText()).isEqualTo("sync");
        assertThat(line.has("queuedMs")).isFalse();
    }

    private JsonNode line(String requestId) {
        return RequestLogLines.find(flowhost.dataDir(), requestId);
    }
}
