package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A completion callback is owed until it is delivered: one still being retried when its server stops is not sent
 * by the stopped server, and the server started again on the same data dir sends it.
 */
@Tag("e2e")
class CallbackRedeliveryTest {

    @TempDir
    Path dataDir;

    private HttpServer receiver;
    private final AtomicBoolean accepting = new AtomicBoolean();
    private final AtomicInteger refusedTries = new AtomicInteger();
    /** Each delivery the receiver took: its X-Request-Id, then its body. */
    private final List<String> delivered = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/done", exchange -> {
            var body = new String(exchange.getRequestBody().readAllBytes());
            if (accepting.get()) {
                delivered.add(exchange.getRequestHeaders().getFirst("X-Request-Id") + " " + body);
                exchange.sendResponseHeaders(204, -1);
            } else {
                refusedTries.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
            }
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void aCallbackCutOffByAStopIsSentByTheNextStart() {
        var origin = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String id;
        String requestId;
        try (var first = start(origin)) {
            var http = new Http(first.uri());
            assertThat(http.deploy(TestJars.exampleBytes("echo")).statusCode()).isEqualTo(201);
            var accepted = http.send(http.request("/v1/services/echo/echo")
                    .header("Content-Type", "application/json")
                    .header("Prefer", "respond-async")
                    .header("Callback-Url", origin + "/done")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"cb\": 1}")));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            id = Http.json(accepted).path("id").asText();
            requestId = accepted.headers().firstValue("X-Request-Id").orElseThrow();
            // Run and answered, its callback refused once: the sender now waits to try again.
            await().atMost(Duration.ofSeconds(60)).until(() -> refusedTries.get() >= 1);
        }
        accepting.set(true);

        // Past the stopped sender's next tries (1 s, then 2 s after): it sends nothing more.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(delivered::isEmpty);

        try (var again = start(origin)) {
            assertThat(again.leads())
                    .as("it sends what is owed as it starts to lead")
                    .isTrue();
            await().atMost(Duration.ofSeconds(60)).until(() -> !delivered.isEmpty());
            assertThat(delivered.getFirst())
                    .startsWith(requestId + " ")
                    .contains("\"id\":\"" + id + "\"")
                    .contains("\"state\":\"succeeded\"");
            // Settled: the sweep's looks for owed callbacks, once a second, find none, so it is not sent twice.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 1);
        }
        try (var third = start(origin)) {
            assertThat(third.leads()).isTrue();
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 1);
        }
    }

    @Test
    void aQueuedRequestThatIsCancelledGetsItsCallbackToo() {
        accepting.set(true);
        var origin = "http://127.0.0.1:" + receiver.getAddress().getPort();
        try (var server = start(origin)) {
            var http = new Http(server.uri());
            var deployed = http.deploy(
                    TestJars.of(TestServices.Trouble.class, TestServices.Order.class),
                    "?max-instances=1&max-concurrency=1&target-in-flight=1");
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
            var holding = submit(http, "/v1/services/trouble/wait", null);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> state(http, holding).equals("running"));
            var queued = submit(http, "/v1/services/trouble/sleep", origin + "/done");

            var cancelled = http.send(http.request("/v1/requests/" + queued).DELETE());

            assertThat(Http.json(cancelled).path("state").asText()).isEqualTo("cancelled");
            await().atMost(Duration.ofSeconds(30)).until(() -> !delivered.isEmpty());
            assertThat(delivered.getFirst())
                    .contains("\"id\":\"" + queued + "\"")
                    .contains("\"state\":\"cancelled\"");
            Gate.open(http);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> state(http, holding).equals("succeeded"));
            assertThat(delivered).as("the held request had no callback").hasSize(1);
        }
    }

    /** Submits {@code {"ms": 1}} to the path asynchronously, with a callback URL (or none); returns its id. */
    private static String submit(Http http, String path, String callback) {
        var request =
                http.request(path).header("Content-Type", "application/json").header("Prefer", "respond-async");
        if (callback != null) {
            request.header("Callback-Url", callback);
        }
        var accepted = http.send(request.POST(HttpRequest.BodyPublishers.ofString("{\"ms\": 1}")));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return Http.json(accepted).path("id").asText();
    }

    private static String state(Http http, String id) {
        return Http.json(http.get("/v1/requests/" + id)).path("state").asText();
    }

    private FlowhostServer start(String callbackOrigin) {
        return FlowhostServer.start(TestSettings.defaults(dataDir).withCallbackOrigins(Set.of(callbackOrigin)));
    }
}
