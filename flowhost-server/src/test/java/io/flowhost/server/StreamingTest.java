package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Streamed answers from a real instance through the real gateway, read off a real socket: chunk by chunk in JSON Lines
 * or Server-Sent Events, from a Stream, an Iterator and a Flow.Publisher; a slow reader slows the producer; a caller
 * that hangs up stops the handler; an error after the first item ends the stream with an error; an async call keeps
 * the whole stream; a gigabyte goes through.
 */
@Tag("e2e")
class StreamingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    private void deploy() {
        flowhost.deploy(
                TestJars.of(TestServices.Streams.class, TestServices.Ask.class, TestServices.Item.class),
                "?max-instances=1");
    }

    private URI server() {
        return flowhost.server().uri();
    }

    private static String ask(int count, int delayMillis, int failAt, int padBytes) {
        return "{\"count\": %d, \"delayMillis\": %d, \"failAt\": %d, \"padBytes\": %d, \"stallAt\": 0}"
                .formatted(count, delayMillis, failAt, padBytes);
    }

    /** Waits until {@code count} stops changing (the same twice, half a second apart); returns where it stopped. */
    static long awaitStill(LongSupplier count) {
        var last = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    long now = count.getAsLong();
                    return now == last.getAndSet(now);
                });
        return last.get();
    }

    private JsonNode produced() {
        return Http.json(flowhost.http().get("/v1/services/streams/produced"));
    }

    @Test
    void streamsIteratorsAndPublishersAnswerJsonLinesChunkByChunk() throws IOException {
        deploy();
        for (var endpoint : List.of("stream", "iterate", "publish")) {
            // 200 ms apart: each line is read long before the next is made, so it came on its own
            try (var answer =
                    StreamReader.post(server(), "/v1/services/streams/" + endpoint, ask(4, 200, -1, 0), null)) {
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.header("Content-Type")).isEqualTo("application/jsonl");
                assertThat(answer.header("Transfer-Encoding")).isEqualTo("chunked");
                assertThat(answer.header("X-Request-Id")).isNotBlank();
                var lines = new ArrayList<String>();
                var producedBefore = new ArrayList<Long>();
                for (String line; (line = answer.line()) != null; ) {
                    lines.add(line);
                    producedBefore.add(produced().path("produced").asLong());
                }
                assertThat(lines)
                        .as(endpoint)
                        .containsExactly(
                                "{\"i\":0,\"pad\":\"\"}",
                                "{\"i\":1,\"pad\":\"\"}",
                                "{\"i\":2,\"pad\":\"\"}",
                                "{\"i\":3,\"pad\":\"\"}");
                // each item was in the caller's hands before the next one had been made
                for (int i = 1; i < producedBefore.size(); i++) {
                    assertThat(producedBefore.get(i) - producedBefore.get(i - 1))
                            .as("%s: items made between reading line %d and line %d", endpoint, i - 1, i)
                            .isLessThanOrEqualTo(1);
                }
            }
        }
    }

    @Test
    void serverSentEventsWhenAskedForAndAnErrorAfterTheFirstItemEndsTheStreamWithAnErrorEvent() throws IOException {
        deploy();
        try (var answer =
                StreamReader.post(server(), "/v1/services/streams/stream", ask(5, 0, 2, 0), "text/event-stream")) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Content-Type")).isEqualTo("text/event-stream");
            assertThat(answer.line()).isEqualTo("data: {\"i\":0,\"pad\":\"\"}");
            assertThat(answer.line()).isEmpty();
            assertThat(answer.line()).isEqualTo("data: {\"i\":1,\"pad\":\"\"}");
            assertThat(answer.line()).isEmpty();
            assertThat(answer.line()).isEqualTo("event: error");
            var error = JSON.readTree(answer.line().substring("data: ".length()));
            assertThat(error.path("type").asText()).isEqualTo("urn:flowhost:problem:handler-failed");
            assertThat(error.path("status").asInt()).isEqualTo(500);
            assertThat(error.path("errorId").asText()).isNotBlank();
            assertThat(answer.line()).isEmpty();
            assertThat(answer.line()).as("the stream ends after its error").isNull();
        }
        try (var answer =
                StreamReader.post(server(), "/v1/services/streams/iterate", ask(5, 0, 1, 0), "application/jsonl")) {
            assertThat(answer.line()).isEqualTo("{\"i\":0,\"pad\":\"\"}");
            var error = JSON.readTree(answer.line()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("urn:flowhost:problem:handler-failed");
            assertThat(answer.line()).isNull();
        }
        // a failure before the first item is answered as any failure is: a problem with its status
        var first = flowhost.http().postJson("/v1/services/streams/publish", ask(5, 0, 0, 0));
        assertProblem(first, 500, "handler-failed");
        // the connection and the instance go on serving
        assertThat(flowhost.http()
                        .postJson("/v1/services/streams/stream", ask(2, 0, -1, 0))
                        .body())
                .isEqualTo("{\"i\":0,\"pad\":\"\"}\n{\"i\":1,\"pad\":\"\"}\n");
    }

    @Test
    void aSlowReaderSlowsTheProducerAndThenGetsEveryItem() throws IOException {
        deploy();
        int count = 2_000; // 64 KiB each: 128 MiB in all, far more than the sockets and buffers between hold
        try (var answer = StreamReader.post(server(), "/v1/services/streams/stream", ask(count, 0, -1, 65_536), null)) {
            assertThat(answer.line()).startsWith("{\"i\":0,");
            // the reader stops; the producer runs until everything between them is full, then waits
            long stalledAt = awaitStill(() -> produced().path("produced").asLong());
            assertThat(stalledAt)
                    .as("items made while the reader read one: the producer waits for the reader")
                    .isLessThan(count / 4);
            long[] rest = answer.drain();
            assertThat(rest[1]).as("every other item arrives").isEqualTo(count - 1);
        }
        assertThat(produced().path("produced").asLong()).isEqualTo(count);
    }

    @Test
    void aCallerThatHangsUpMidStreamInterruptsTheHandlerWithin100Ms() throws IOException {
        deploy();
        long hungUpAt;
        try (var answer = StreamReader.post(server(), "/v1/services/streams/stream", ask(1_000_000, 20, -1, 0), null)) {
            for (int i = 0; i < 3; i++) {
                assertThat(answer.line()).startsWith("{\"i\":" + i + ",");
            }
            hungUpAt = System.currentTimeMillis();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> produced().path("interruptedAt").asLong() > 0);
        long interruptedAt = produced().path("interruptedAt").asLong();
        assertThat(interruptedAt - hungUpAt)
                .as("from the caller hanging up to the handler's thread interrupted, through the gateway")
                .isBetween(0L, 100L);
        long after = produced().path("produced").asLong();
        // nothing more is made, and the instance serves the next call
        assertThat(flowhost.http()
                        .postJson("/v1/services/streams/stream", ask(1, 0, -1, 0))
                        .statusCode())
                .isEqualTo(200);
        assertThat(produced().path("produced").asLong()).isEqualTo(after + 1);
    }

    @Test
    void aCallerThatHangsUpBeforeTheFirstItemInterruptsTheHandlerToo() throws IOException {
        deploy();
        long started = produced().path("started").asLong();
        long hungUpAt;
        try (var caller = new Socket(server().getHost(), server().getPort())) {
            var body = ask(1, 60_000, -1, 0).getBytes(StandardCharsets.UTF_8); // a first item that takes a minute
            caller.getOutputStream()
                    .write(("POST /v1/services/streams/stream HTTP/1.1\r\nHost: flowhost\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            caller.getOutputStream().write(body);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> produced().path("started").asLong() > started);
            hungUpAt = System.currentTimeMillis();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> produced().path("interruptedAt").asLong() > 0);
        assertThat(produced().path("interruptedAt").asLong() - hungUpAt)
                .as("from the caller hanging up to the handler's thread interrupted, before any item")
                .isBetween(0L, 100L);
    }

    @Test
    void anAsyncCallOfAStreamingEndpointKeepsTheWholeStream() {
        deploy();
        var accepted = flowhost.http()
                .send(flowhost.http()
                        .request("/v1/services/streams/publish")
                        .header("Content-Type", "application/json")
                        .header("Prefer", "respond-async")
                        .POST(HttpRequest.BodyPublishers.ofString(ask(3, 0, -1, 0))));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var id = Http.json(accepted).path("id").asText();
        var done = Http.json(flowhost.http().get("/v1/requests/" + id + "?wait=30s"));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("result").path("contentType").asText()).isEqualTo("application/jsonl");
        assertThat(done.path("result").path("body").toString())
                .isEqualTo("[{\"i\":0,\"pad\":\"\"},{\"i\":1,\"pad\":\"\"},{\"i\":2,\"pad\":\"\"}]");
        var result = flowhost.http().get("/v1/requests/" + id + "/result");
        assertThat(result.body()).isEqualTo("{\"i\":0,\"pad\":\"\"}\n{\"i\":1,\"pad\":\"\"}\n{\"i\":2,\"pad\":\"\"}\n");
    }

    @Test
    void aStreamFourTimesTheLargestAnswerTheGatewayHoldsGoesThroughWhole() throws IOException {
        deploy();
        // 256 MiB, where an answer the gateway collected whole could be 64 MiB at most: this one is relayed as it comes
        int items = 4_096;
        int pad = 65_536 - 3; // a JSON string and its line end: 64 KiB a line
        try (var answer = StreamReader.post(server(), "/v1/services/streams/bulk", ask(items, 0, -1, pad), null)) {
            assertThat(answer.status()).isEqualTo(200);
            long[] read = answer.drain();
            assertThat(read[0]).isEqualTo(1L << 28);
            assertThat(read[1]).isEqualTo(items);
        }
    }
}
