package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stream through the real gateway has no deadline as a whole, but its instance may not go silent for longer than
 * the request timeout while the caller reads: the stream ends with an error and the handler is stopped. A silence the
 * caller causes, by not reading, is no fault.
 */
@Tag("e2e")
class StreamDeadlineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(s -> s.withRequestTimeout(Duration.ofSeconds(2)));

    private JsonNode produced() {
        return Http.json(flowhost.http().get("/v1/services/streams/produced"));
    }

    @Test
    void aStreamLongerThanTheRequestTimeoutGoesOnButOneSilentThatLongIsEndedAndItsHandlerStopped() throws IOException {
        flowhost.deploy(
                TestJars.of(TestServices.Streams.class, TestServices.Ask.class, TestServices.Item.class),
                "?max-instances=1");
        // Items 600 ms apart, the sixth hanging: three seconds of stream before the silence, longer than the timeout.
        var ask = "{\"count\": 10, \"delayMillis\": 600, \"failAt\": -1, \"padBytes\": 0, \"stallAt\": 5}";
        var lines = new ArrayList<String>();
        try (var answer = StreamReader.post(flowhost.server().uri(), "/v1/services/streams/stream", ask, null)) {
            assertThat(answer.status()).isEqualTo(200);
            for (String line; (line = answer.line()) != null; ) {
                lines.add(line);
            }
        }

        assertThat(lines).hasSize(6);
        assertThat(lines.subList(0, 5)).allSatisfy(line -> assertThat(line).startsWith("{\"i\":"));
        var error = JSON.readTree(lines.get(5)).path("error");
        assertThat(error.path("type").asText()).isEqualTo("urn:flowhost:problem:instance-timeout");
        assertThat(error.path("detail").asText()).contains("sent nothing for 2000 ms");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> produced().path("interruptedAt").asLong() > 0);
        // the instance goes on serving
        var next = flowhost.http()
                .postJson(
                        "/v1/services/streams/stream",
                        "{\"count\": 1, \"delayMillis\": 0, \"failAt\": -1, \"padBytes\": 0, \"stallAt\": 0}");
        assertThat(next.body()).isEqualTo("{\"i\":0,\"pad\":\"\"}\n");
    }

    @Test
    void aCallerThatStopsReadingForLongerThanTheTimeoutStillGetsEveryItem() throws Exception {
        flowhost.deploy(
                TestJars.of(TestServices.Streams.class, TestServices.Ask.class, TestServices.Item.class),
                "?max-instances=1");
        int count = 400; // 64 KiB each: 25 MiB, more than the sockets and buffers between hold
        var ask = "{\"count\": %d, \"delayMillis\": 0, \"failAt\": -1, \"padBytes\": 65536, \"stallAt\": 0}"
                .formatted(count);
        try (var answer = StreamReader.post(flowhost.server().uri(), "/v1/services/streams/stream", ask, null)) {
            assertThat(answer.line()).startsWith("{\"i\":0,");
            long stalledAt =
                    StreamingTest.awaitStill(() -> produced().path("produced").asLong());
            assertThat(stalledAt).as("the producer waits for the reader").isLessThan(count);
            // The instance is silent now because the caller does not read: twice the timeout of that is no fault.
            Thread.sleep(4_000);
            long[] rest = answer.drain();
            assertThat(rest[1]).as("every other item arrives, and no error").isEqualTo(count - 1);
        }
    }
}
