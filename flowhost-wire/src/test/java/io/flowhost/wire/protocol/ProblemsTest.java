package io.flowhost.wire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.access.Rate;
import io.flowhost.domain.access.RateLimitedException;
import io.flowhost.domain.access.TokenBucket;
import io.flowhost.domain.deployment.DeploymentFailedException;
import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.domain.deployment.UnknownDeploymentException;
import io.flowhost.domain.instance.InstanceFailedException;
import io.flowhost.domain.instance.InstanceTimeoutException;
import io.flowhost.domain.instance.NotReadyException;
import io.flowhost.domain.request.IdempotencyKeyReusedException;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.domain.request.RequestExpiredException;
import io.flowhost.domain.request.RequestStateException;
import io.flowhost.domain.request.UnknownRequestException;
import io.flowhost.domain.service.HandlerFailedException;
import io.flowhost.domain.service.MethodNotAllowedException;
import io.flowhost.domain.service.UnknownEndpointException;
import io.flowhost.domain.service.UnknownModelException;
import io.flowhost.domain.service.UnknownServiceException;
import io.flowhost.domain.service.UnsupportedMediaTypeException;
import io.flowhost.domain.service.WrongModeException;
import io.flowhost.domain.state.NoLeaderException;
import io.flowhost.domain.state.StateUnavailableException;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.wire.netty.Responses;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The one table from failure to problem: each failure's type and status, and the members that go with it. */
class ProblemsTest {

    record Row(Throwable failure, String type, int status) {
        @Override
        public String toString() {
            return failure.getClass().getSimpleName() + " -> " + status + " " + type;
        }
    }

    static Stream<Row> table() {
        return Stream.of(
                new Row(new UnknownServiceException("iris"), "unknown-service", 404),
                new Row(new UnknownModelException("iris-onnx"), "not-found", 404),
                new Row(new UnknownEndpointException("no endpoint"), "unknown-endpoint", 404),
                new Row(new MethodNotAllowedException("takes GET", "GET"), "method-not-allowed", 405),
                new Row(new UnsupportedMediaTypeException("takes JSON"), "unsupported-media-type", 415),
                new Row(new WrongModeException("async-only"), "bad-request", 400),
                new Row(new BadRequestException("limit 'x'"), "bad-request", 400),
                new Row(new NoRouteException("no route /x"), "not-found", 404),
                new Row(new ForbiddenException("cross-origin"), "forbidden", 403),
                new Row(new UnauthorizedException("no token"), "unauthorized", 401),
                new Row(new BodyTooLargeException(-1, 1024), "body-too-large", 413),
                new Row(new CallRejectedException(409, "already placed"), "call-rejected", 409),
                new Row(
                        new HandlerFailedException("predict", "e-1", new IllegalStateException()),
                        "handler-failed",
                        500),
                new Row(new NotReadyException("starting", 2), "not-ready", 503),
                new Row(new InstanceFailedException("echo-v1-1", "closed"), "instance-failed", 502),
                new Row(new InstanceTimeoutException("echo-v1-1", "too slow"), "instance-timeout", 504),
                new Row(new DeploymentFailedException("no @Service"), "invalid-service", 422),
                new Row(new InvalidSettingsException("idle-timeout: 0s"), "invalid-settings", 400),
                new Row(new UnknownDeploymentException("echo-v9"), "not-found", 404),
                new Row(new QueueFullException("echo-v1", 10), "queue-full", 429),
                new Row(limited(), "rate-limited", 429),
                new Row(new StateUnavailableException("database away", null), "state-unavailable", 503),
                new Row(new NoLeaderException("failing over"), "no-leader", 503),
                new Row(new UnknownRequestException("r1"), "not-found", 404),
                new Row(new IdempotencyKeyReusedException("order-7"), "idempotency-key-reused", 422),
                new Row(new RequestExpiredException("r1"), "request-expired", 410),
                new Row(new RequestStateException("running", "running"), "conflict", 409),
                new Row(new TooLongHttpLineException("long"), "uri-too-long", 414),
                new Row(new TooLongHttpHeaderException("big"), "headers-too-large", 431),
                new Row(new IllegalStateException("a bug of ours"), "internal", 500));
    }

    @ParameterizedTest
    @MethodSource("table")
    void eachFailureHasItsTypeAndStatus(Row row) {
        var problem = Problems.of(row.failure(), "req-1");

        assertThat(problem.type()).isEqualTo("urn:flowhost:problem:" + row.type());
        assertThat(problem.status()).isEqualTo(row.status());
        assertThat(problem.requestId()).isEqualTo("req-1");
    }

    @Test
    void anUnreachableStateStoreAsksTheCallerToTryAgainShortly() {
        var problem = Problems.of(new StateUnavailableException("the state store cannot be reached", null), "req-1");

        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.retryAfterSeconds()).isEqualTo(5);
    }

    @Test
    void aFailureWrappedByAFutureIsTheFailureItWraps() {
        var problem = Problems.of(new CompletionException(new QueueFullException("echo-v1", 10)), "req-1");

        assertThat(problem.status()).isEqualTo(429);
    }

    @Test
    void ourOwnBugsShowAnErrorIdAndNotWhatWentWrong() {
        var problem = Problems.of(new IllegalStateException("secret internal detail"), "req-1");

        assertThat(problem.detail()).doesNotContain("secret").contains("error id");
        assertThat(problem.extensions().get("errorId")).isInstanceOf(String.class);
    }

    @Test
    void statusesThatPromiseARetrySayWhenInRetryAfter() {
        var notReady = Responses.problem(Problems.of(new NotReadyException("starting", 2), "r"));
        var queueFull = Responses.problem(Problems.of(new QueueFullException("echo-v1", 10), "r"));
        var notFound = Responses.problem(Problems.of(new UnknownServiceException("x"), "r"));

        assertThat(notReady.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("2");
        assertThat(queueFull.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5");
        assertThat(notFound.headers().contains(HttpHeaderNames.RETRY_AFTER)).isFalse();
    }

    private static RateLimitedException limited() {
        var bucket = new TokenBucket(new Rate(100, 200), 0);
        for (int i = 0; i < 200; i++) {
            bucket.take(0);
        }
        return new RateLimitedException("token-ci", "token 'ci'", new Rate(100, 200), bucket.take(0));
    }

    @Test
    void aCallPastAQuotaSaysWhenToComeBackAndWhichQuotaInTheIetfFields() throws Exception {
        var response = Responses.problem(Problems.of(limited(), "r"));

        assertThat(response.status().code()).isEqualTo(429);
        assertThat(response.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("1");
        assertThat(response.headers().get("RateLimit-Policy")).isEqualTo("\"token-ci\";q=200;w=2");
        assertThat(response.headers().get("RateLimit")).isEqualTo("\"token-ci\";r=0;t=2");
        var body = new ObjectMapper().readTree(response.content().toString(StandardCharsets.UTF_8));
        assertThat(body.path("detail").asText())
                .isEqualTo("token 'ci' is past its quota of 100/s burst 200: try again in 1 s, or ask an admin for a"
                        + " higher rate");
        assertThat(body.path("quota").path("policy").asText()).isEqualTo("token-ci");
        assertThat(body.path("retryAfter").asInt()).isEqualTo(1);
    }

    @Test
    void a405SaysWhichMethodsAreAllowed() throws Exception {
        var response = Responses.problem(Problems.of(new MethodNotAllowedException("takes GET", "GET"), "r"));

        assertThat(response.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET");
        var body = new ObjectMapper().readTree(response.content().toString(StandardCharsets.UTF_8));
        assertThat(body.path("status").asInt()).isEqualTo(405);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/problem+json");
    }

    @Test
    void aBodyOverTheLimitNamesTheLimit() {
        var problem = Problems.of(new BodyTooLargeException(5000, 1024), "r");

        assertThat(problem.extensions()).containsEntry("limit", 1024);
        assertThat(problem.detail()).contains("5000 bytes").contains("1024 bytes");
    }
}
