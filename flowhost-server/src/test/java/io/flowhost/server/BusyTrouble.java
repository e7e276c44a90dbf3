package io.flowhost.server;

import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@link TestServices.Trouble} deployed with one instance that takes one call at a time, kept busy by a {@code wait}
 * call until {@link Gate#open}: every further call is held. For the tests of what the gateway does with held calls.
 */
final class BusyTrouble {

    private BusyTrouble() {}

    /** Deploys it, starts the call that keeps it busy, and returns that call once it is in flight. */
    static CompletableFuture<HttpResponse<String>> deploy(RunningServer flowhost) {
        flowhost.deploy(
                TestJars.of(TestServices.Trouble.class, TestServices.Order.class),
                "?max-concurrency=1&target-in-flight=1&max-instances=1");
        var http = flowhost.http();
        var busy = flowhost.async(() -> http.postJson("/v1/services/trouble/wait", "{}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(http, "inFlight") == 1);
        return busy;
    }

    /** How many calls the gateway holds for it now. */
    static int held(Http http) {
        return count(http, "held");
    }

    private static int count(Http http, String field) {
        return Http.json(http.get("/v1/status/trouble"))
                .path("services")
                .path(0)
                .path(field)
                .asInt();
    }
}
