package io.flowhost.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.client.internal.TraceContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Calls the services of one flowhost server (or of its gateways' load balancer) from any JVM program, over one
 * pooled HTTP client: typed calls, async requests, streamed answers; calls the gateway could not place (503) or that
 * met a quota (429) are tried again as {@code Retry-After} says, within a retry budget; every problem answered comes
 * out as a {@link ProblemException} that keeps its type, detail and request id; the caller's trace (W3C
 * {@code traceparent}, from OpenTelemetry's current span when it is on the class path) goes with each call.
 *
 * <pre>{@code
 * try (var flowhost = FlowhostClient.builder(URI.create("http://localhost:8080")).build()) {
 *     var predict = flowhost.endpoint("iris", "predict", Features.class, Prediction.class);
 *     Prediction p = predict.call(new Features(5.1, 3.5, 1.4, 0.2));
 * }
 * }</pre>
 */
public final class FlowhostClient implements AutoCloseable {

    private final HttpClient http;
    private final Exchange exchange;

    private FlowhostClient(Builder builder) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.exchange = new Exchange(
                http,
                builder.server,
                builder.token,
                builder.mapper,
                builder.retryBudget,
                builder.timeout,
                builder.trace);
    }

    /** A client of the server at {@code server} ({@code http://host:port}). */
    public static Builder builder(URI server) {
        return new Builder(server);
    }

    /** The endpoint {@code /v1/services/{service}/{endpoint}}, taking {@code input} and answering {@code output}. */
    public <I, O> Endpoint<I, O> endpoint(String service, String endpoint, Class<I> input, Class<O> output) {
        return new Endpoint<>(exchange, service, endpoint, output);
    }

    /** An async request accepted earlier (by any client), by its id, whose answer is an {@code output}. */
    public <O> AsyncCall<O> request(String id, Class<O> output) {
        return new AsyncCall<>(exchange, id, output);
    }

    @Override
    public void close() {
        http.close();
    }

    /** How a client calls: its server, token, JSON mapper, retry budget and timeout. */
    public static final class Builder {
        private final URI server;
        private String token;
        private ObjectMapper mapper =
                new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        private Duration retryBudget = Duration.ofSeconds(30);
        private Duration timeout = Duration.ofSeconds(60);
        private Supplier<String> trace = TraceContext.openTelemetry();

        private Builder(URI server) {
            this.server = Objects.requireNonNull(server, "server");
        }

        /** A call token ({@code flowhost token create}), sent as {@code Authorization: Bearer}. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** The mapper bodies and answers are read and written with (by default, unknown fields are ignored). */
        public Builder mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** How long, in all, one call may spend waiting to be tried again after 503 or 429 (30 s; zero: never). */
        public Builder retryBudget(Duration budget) {
            this.retryBudget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /** How long one attempt may wait for its answer (60 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Where each call's {@code traceparent} comes from (OpenTelemetry's current span, when present); null: none. */
        public Builder traceparent(Supplier<String> traceparent) {
            this.trace = traceparent == null ? () -> null : traceparent;
            return this;
        }

        public FlowhostClient build() {
            return new FlowhostClient(this);
        }
    }
}
