package io.flowhost.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One HTTP exchange with flowhost as every client call makes it: JSON in, the headers (token, trace, request kind),
 * tries again on 503 and 429 as {@code Retry-After} says while the retry budget lasts, and turns a problem into its
 * exception ({@link Problems}).
 */
final class Exchange {

    /** An answer with a status below 300. */
    record Answer(int status, byte[] body) {}

    /** The first wait before sending again a request whose connection was lost; doubled each time. */
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final HttpClient http;
    private final URI server;
    private final String token;
    private final ObjectMapper mapper;
    private final Duration retryBudget;
    private final Duration timeout;
    private final Supplier<String> trace;

    Exchange(
            HttpClient http,
            URI server,
            String token,
            ObjectMapper mapper,
            Duration retryBudget,
            Duration timeout,
            Supplier<String> trace) {
        this.http = http;
        this.server = server;
        this.token = token;
        this.mapper = mapper;
        this.retryBudget = retryBudget;
        this.timeout = timeout;
        this.trace = trace;
    }

    /**
     * Sends the request and returns its answer; with {@code retry}, a 503 (no instance could take it: it never ran) or
     * a 429 is sent again after the {@code Retry-After} it came with, and a request with an {@code Idempotency-Key}
     * whose connection was lost is sent again (backing off from 100 ms), while the budget lasts.
     */
    Answer send(String method, String path, byte[] body, Map<String, String> headers, boolean retry) {
        long budgetEnds = System.nanoTime() + retryBudget.toNanos();
        // a request with an Idempotency-Key is done once however often it is sent: a lost connection may be retried
        boolean resendable = retry && headers.containsKey("Idempotency-Key");
        var backoff = FIRST_BACKOFF;
        while (true) {
            var request = request(path, "application/json", headers);
            request.method(
                    method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                if (resendable && System.nanoTime() + backoff.toNanos() <= budgetEnds && pause(backoff)) {
                    backoff = backoff.multipliedBy(2);
                    continue;
                }
                throw new UncheckedIOException("cannot reach flowhost at " + server + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while calling " + path, e);
            }
            int status = response.statusCode();
            if (status < 300) {
                return new Answer(status, response.body());
            }
            if (retry && (status == 503 || status == 429)) {
                var wait = Problems.retryAfter(
                        response.headers().firstValue("Retry-After").orElse(null));
                if (System.nanoTime() + wait.toNanos() <= budgetEnds && pause(wait)) {
                    continue;
                }
            }
            throw Problems.of(
                    status,
                    response.body(),
                    response.headers().firstValue("X-Request-Id").orElse(null));
        }
    }

    /** A streaming endpoint's answer, line by line as it comes; closing the stream hangs up. */
    Stream<String> lines(String path, byte[] body) {
        var request = request(path, "application/jsonl", Map.of())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach flowhost at " + server + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + path, e);
        }
        if (response.statusCode() >= 300) {
            String text;
            try (var lines = response.body()) {
                text = String.join("\n", lines.toList());
            }
            throw Problems.of(
                    response.statusCode(),
                    text.getBytes(StandardCharsets.UTF_8),
                    response.headers().firstValue("X-Request-Id").orElse(null));
        }
        return response.body().map(line -> {
            if (line.startsWith("{\"error\":")) { // the stream failed after its first item: its last line says how
                var error = tree(line.getBytes(StandardCharsets.UTF_8)).path("error");
                throw Problems.of(
                        error.path("status").asInt(500), error.toString().getBytes(StandardCharsets.UTF_8), null);
            }
            return line;
        });
    }

    private HttpRequest.Builder request(String path, String accept, Map<String, String> headers) {
        var request =
                HttpRequest.newBuilder(server.resolve(path)).timeout(timeout).header("Accept", accept);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        var traceparent = trace.get();
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        headers.forEach(request::header);
        return request;
    }

    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
    }

    <T> T read(byte[] body, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "flowhost answered what is not a " + type.getName() + ": " + e.getMessage(), e);
        }
    }

    <T> T read(String line, Class<T> type) {
        return read(line.getBytes(StandardCharsets.UTF_8), type);
    }

    JsonNode tree(byte[] body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("flowhost answered what is not JSON: " + e.getMessage(), e);
        }
    }
}
