package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Completion callbacks go only to the origins the server allows: an allowed machine's other ports are out of
 * reach, and so is the server itself, even when its address is allowed by mistake.
 */
@Tag("e2e")
class CallbackOriginsTest {

    private static final List<String> ALLOWED_RECEIVED = new CopyOnWriteArrayList<>();
    private static final List<String> OTHER_RECEIVED = new CopyOnWriteArrayList<>();
    private static final HttpServer ALLOWED = receiver(ALLOWED_RECEIVED);
    private static final HttpServer OTHER_PORT = receiver(OTHER_RECEIVED);
    private static final int SERVER_PORT = freePort();

    @RegisterExtension
    static final RunningServer flowhost = new RunningServer(s -> s.withPort(SERVER_PORT)
            .withCallbackOrigins(Set.of(
                    "http://127.0.0.1:" + ALLOWED.getAddress().getPort(),
                    // the server's own address, allowed by mistake: refused all the same
                    "http://localhost:" + SERVER_PORT,
                    "http://127.0.0.1:" + SERVER_PORT)));

    @BeforeAll
    static void deploy() {
        flowhost.deploy(TestJars.exampleBytes("echo"));
    }

    @AfterAll
    static void stopReceivers() {
        ALLOWED.stop(0);
        OTHER_PORT.stop(0);
    }

    private static HttpServer receiver(List<String> received) {
        try {
            var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                received.add(exchange.getRequestURI().getPath() + " "
                        + new String(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> submit(String callback) {
        var http = flowhost.http();
        return http.send(http.request("/v1/services/echo/echo")
                .header("Content-Type", "application/json")
                .header("Prefer", "respond-async")
                .header("Callback-Url", callback)
                .POST(HttpRequest.BodyPublishers.ofString("{\"cb\": 1}")));
    }

    @Test
    void aCallbackToAnAllowedOriginArrivesAndAnyOtherPortOfThatHostIsRefused() {
        var accepted = submit("http://127.0.0.1:" + ALLOWED.getAddress().getPort() + "/done");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var id = Http.json(accepted).path("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> !ALLOWED_RECEIVED.isEmpty());
        assertThat(ALLOWED_RECEIVED.getFirst())
                .startsWith("/done ")
                .contains("\"id\":\"" + id + "\"")
                .contains("\"state\":\"succeeded\"");

        var otherPort = "http://127.0.0.1:" + OTHER_PORT.getAddress().getPort();
        var refused = submit(otherPort + "/admin/drop-tables");
        assertProblem(refused, 400, "bad-request");
        assertThat(Http.json(refused).path("detail").asText())
                .contains("callback origin " + otherPort + " is not allowed")
                .contains("--callback-origin");
        assertThat(OTHER_RECEIVED).isEmpty();
    }

    @Test
    void aCallbackToTheServersOwnManagementApiIsRefusedEvenWhenItsOriginIsAllowed() {
        int queuedBefore = queued();
        for (var own : List.of("http://localhost:" + SERVER_PORT, "http://127.0.0.1:" + SERVER_PORT)) {
            var refused = submit(own + "/v1/deployments/echo");
            assertProblem(refused, 400, "bad-request");
            assertThat(Http.json(refused).path("detail").asText())
                    .contains("callback origin " + own)
                    .contains("this server's own address");
        }
        assertThat(queued()).as("nothing was queued").isEqualTo(queuedBefore);
    }

    private static int queued() {
        return Http.json(flowhost.http().get("/v1/requests?service=echo"))
                .path("requests")
                .size();
    }
}
