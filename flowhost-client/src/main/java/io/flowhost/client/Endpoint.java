package io.flowhost.client;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One endpoint of a service, typed: {@link #call} answers now, {@link #submit} queues the call, {@link #stream} reads a
 * streaming endpoint's items as they come.
 *
 * @param <I> what it takes
 * @param <O> what it answers (one item, for a streaming endpoint)
 */
public final class Endpoint<I, O> {

    private final Exchange exchange;
    private final String path;
    private final Class<O> output;

    Endpoint(Exchange exchange, String service, String endpoint, Class<O> output) {
        this.exchange = exchange;
        this.path = "/v1/services/" + service + "/" + endpoint;
        this.output = output;
    }

    /** Calls the endpoint and returns its answer (null for an endpoint that answers nothing). */
    public O call(I input) {
        var answer = exchange.send("POST", path, exchange.json(input), Map.of(), true);
        return answer.status() == 204 ? null : exchange.read(answer.body(), output);
    }

    /**
     * Queues the call ({@code Prefer: respond-async}); returns once the server has it. An {@code Idempotency-Key} goes
     * with it, so that trying again after a lost answer queues it once.
     */
    public AsyncCall<O> submit(I input) {
        var headers = Map.of(
                "Prefer", "respond-async", "Idempotency-Key", UUID.randomUUID().toString());
        var accepted = exchange.send("POST", path, exchange.json(input), headers, true);
        var id = exchange.tree(accepted.body()).path("id").asText();
        return new AsyncCall<>(exchange, id, output);
    }

    /** The items of a streaming endpoint's answer as they come (JSON Lines); close the stream to hang up early. */
    public Stream<O> stream(I input) {
        return exchange.lines(path, exchange.json(input)).map(line -> exchange.read(line, output));
    }
}
