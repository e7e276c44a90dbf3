package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flowhost.client.FailedException;
import io.flowhost.client.FlowhostClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * flowhost-client meets a gateway that cannot place its call (503 with Retry-After: the one instance is busy and the
 * one held call is taken): it tries again after the time the gateway said, within its budget, and without budget it
 * fails with the gateway's problem.
 */
@Tag("e2e")
class ClientRetryTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    private int refusals() {
        return flowhost.http()
                .get("/metrics")
                .body()
                .lines()
                .filter(line -> line.startsWith("flowhost_calls_seconds_count")
                        && line.contains("service=\"trouble\"")
                        && line.contains("5xx"))
                .mapToInt(line -> (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aCallRefusedWith503IsTriedAgainAfterRetryAfterWithinTheBudgetAndFailsWithoutOne() throws Exception {
        flowhost.deploy(
                TestJars.of(TestServices.Trouble.class, TestServices.Order.class),
                "?max-concurrency=1&target-in-flight=1&max-instances=1&max-held=1");
        var http = flowhost.http();
        try (var callers = Executors.newVirtualThreadPerTaskExecutor();
                var patient = FlowhostClient.builder(flowhost.server().uri())
                        .retryBudget(Duration.ofSeconds(30))
                        .build();
                var impatient = FlowhostClient.builder(flowhost.server().uri())
                        .retryBudget(Duration.ZERO)
                        .build()) {
            var busy = CompletableFuture.supplyAsync(() -> http.postJson("/v1/services/trouble/wait", "{}"), callers);
            await().atMost(PATIENCE)
                    .until(() -> Http.json(http.get("/v1/status/trouble"))
                                    .path("services")
                                    .path(0)
                                    .path("inFlight")
                                    .asInt()
                            == 1);
            var held = CompletableFuture.supplyAsync(
                    () -> http.postJson("/v1/services/trouble/sleep", "{\"ms\": 1}"), callers);
            await().atMost(PATIENCE)
                    .until(() -> Http.json(http.get("/v1/status/trouble"))
                                    .path("services")
                                    .path(0)
                                    .path("held")
                                    .asInt()
                            == 1);

            var sleep = impatient.endpoint("trouble", "sleep", Map.class, Map.class);
            assertThatThrownBy(() -> sleep.call(Map.of("ms", 1))).isInstanceOfSatisfying(FailedException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.type()).isEqualTo("urn:flowhost:problem:not-ready");
            });

            int before = refusals();
            long started = System.nanoTime();
            var retried = CompletableFuture.supplyAsync(
                    () -> patient.endpoint("trouble", "sleep", Map.class, Map.class)
                            .call(Map.of("ms", 1)),
                    callers);
            await().atMost(PATIENCE).until(() -> refusals() > before); // its first try was refused
            Gate.open(http);

            assertThat(retried.get(60, TimeUnit.SECONDS)).isEqualTo(Map.of("slept", 1));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("it waited the 2 s Retry-After said before trying again")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(busy.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(held.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }
}
