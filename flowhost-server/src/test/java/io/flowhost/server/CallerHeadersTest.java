package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
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

    /** The request-log line of a request id, or null while it is not written. */
    private JsonNode line(String requestId) {
        var file = flowhost.dataDir().resolve("logs/requests.log");
        if (!Files.exists(file)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            var json = new ObjectMapper();
            for (var line : lines) {
                var node = json.readTree(line);
                if (node.path("requestId").asText().equals(requestId)) {
                    return node;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
