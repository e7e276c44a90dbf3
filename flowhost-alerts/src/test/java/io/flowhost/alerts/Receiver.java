package io.flowhost.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real webhook receiver on port 0 (the JDK's HTTP server): records each POST and answers the statuses given. */
final class Receiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Received(String method, String contentType, JsonNode body) {}

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Deque<Integer> statuses = new ArrayDeque<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            var body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            received.add(new Received(
                    exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"), body));
            int status;
            synchronized (statuses) {
                status = statuses.isEmpty() ? 200 : statuses.poll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    /** Answers these statuses to the next requests, 200 after them. */
    Receiver answering(Integer... next) {
        synchronized (statuses) {
            statuses.addAll(List.of(next));
        }
        return this;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    Webhook webhook(String name) {
        return new Webhook(name, url(), Duration.ofSeconds(5), 3, Duration.ofMillis(10));
    }

    /** The next request received, waiting up to 10 s. */
    Received next() throws InterruptedException {
        var r = received.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request within 10s");
        }
        return r;
    }

    /** The request received within {@code wait}, or null. */
    Received poll(Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
