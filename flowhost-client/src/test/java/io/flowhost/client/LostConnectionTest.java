package io.flowhost.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection lost before the answer, on real HTTP (the JDK's server on port 0, closing the first exchange of each
 * path unanswered): a queued call carries an Idempotency-Key and is sent again with the same key; a call answered now
 * has none and is not (it may have run).
 */
class LostConnectionTest {

    private HttpServer server;
    private final List<String> keys = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/services/", exchange -> {
            keys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
            exchange.getRequestBody().readAllBytes();
            if (keys.size() == 1) {
                exchange.close(); // the first request of the test is lost: no answer at all
                return;
            }
            var body = "{\"id\": \"r1\", \"state\": \"queued\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private FlowhostClient client() {
        return FlowhostClient.builder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .retryBudget(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void aQueuedCallWhoseConnectionWasLostIsSentAgainWithTheSameKey() {
        try (var client = client()) {
            var call = client.endpoint("svc", "work", Map.class, Map.class).submit(Map.of("n", 1));

            assertThat(call.id()).isEqualTo("r1");
            assertThat(keys).hasSize(2);
            assertThat(keys.get(0)).isNotEqualTo("null").isEqualTo(keys.get(1));
        }
    }

    @Test
    void aCallAnsweredNowIsNotSentAgainAfterALostConnection() {
        try (var client = client()) {
            var endpoint = client.endpoint("svc", "work", Map.class, Map.class);

            assertThatThrownBy(() -> endpoint.call(Map.of("n", 1))).isInstanceOf(UncheckedIOException.class);
            assertThat(keys).containsExactly("null");
        }
    }
}
