package io.flowhost.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * A call queued on flowhost: its id, its state, and its answer once it has run.
 *
 * @param <O> what the endpoint answers
 */
public final class AsyncCall<O> {

    /** Where a queued call is. */
    public enum State {
        QUEUED,
        RUNNING,
        SUCCEEDED,
        FAILED,
        CANCELLED,
        EXPIRED;

        /** Whether it will not change any more. */
        public boolean isFinal() {
            return this != QUEUED && this != RUNNING;
        }
    }

    /** The longest one long poll waits (the server's limit). */
    private static final Duration POLL = Duration.ofSeconds(30);

    private final Exchange exchange;
    private final String id;
    private final Class<O> output;

    AsyncCall(Exchange exchange, String id, Class<O> output) {
        this.exchange = exchange;
        this.id = id;
        this.output = output;
    }

    /** The request's id: the caller's key to its answer. */
    public String id() {
        return id;
    }

    /** Its state now. */
    public State state() {
        return stateOf(view(null));
    }

    /**
     * Waits (long-polling) until it has run and returns its answer; an endpoint that refused or failed it throws its
     * problem, and a request cancelled or expired throws a {@link FailedException} saying so.
     */
    public O await(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("request " + id + " did not finish within " + timeout);
            }
            var view = view(Duration.ofNanos(Math.min(left, POLL.toNanos())));
            var state = stateOf(view);
            if (state.isFinal()) {
                if (view.has("result")) {
                    var result = exchange.send("GET", "/v1/requests/" + id + "/result", null, Map.of(), false);
                    return result.status() == 204 ? null : exchange.read(result.body(), output);
                }
                throw new FailedException(
                        "urn:flowhost:problem:request-" + state.name().toLowerCase(Locale.ROOT),
                        500,
                        "Request " + state.name().toLowerCase(Locale.ROOT),
                        "request " + id + " is " + state.name().toLowerCase(Locale.ROOT)
                                + (view.has("error") ? ": " + view.path("error").asText() : ""),
                        id,
                        null);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Cancels it if it has not run yet. */
    public void cancel() {
        exchange.send("DELETE", "/v1/requests/" + id, null, Map.of(), false);
    }

    private JsonNode view(Duration wait) {
        var query = wait == null ? "" : "?wait=" + Math.max(1, wait.toSeconds()) + "s";
        return exchange.tree(exchange.send("GET", "/v1/requests/" + id + query, null, Map.of(), false)
                .body());
    }

    private static State stateOf(JsonNode view) {
        return State.valueOf(view.path("state").asText().toUpperCase(Locale.ROOT));
    }
}
