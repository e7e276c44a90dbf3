package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.state.postgres.PostgresUrl;
import io.flowhost.state.postgres.TestPostgres;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL restarted under a running server: while it is away, calls that need it fail clearly (503 with
 * Retry-After) and write nothing, calls that do not need it are answered, and once it is back the server recovers by
 * itself, with every request it accepted answered.
 */
@Tag("e2e")
class PostgresRestartTest {

    private static TestPostgres postgres;
    private static String database;

    @BeforeAll
    static void startPostgres() {
        postgres = TestPostgres.startNew();
        database = postgres.newDatabase();
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(s -> s.withState(PostgresUrl.parse(database)));

    private HttpResponse<String> submit(String body, String key) {
        var http = flowhost.http();
        return http.send(http.request("/v1/services/echo/echo")
                .header("Content-Type", "application/json")
                .header("Prefer", "respond-async")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private String state(String id) {
        return Http.json(flowhost.http().get("/v1/requests/" + id + "?wait=30s"))
                .path("state")
                .asText();
    }

    @Test
    void aDatabaseRestartIs503WhileAwayAndEverythingAcceptedIsAnsweredAfter() {
        flowhost.deploy(TestJars.exampleBytes("echo"));
        var accepted = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            var r = submit("{\"before\": " + i + "}", "before-" + i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            accepted.add(Http.json(r).path("id").asText());
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> accepted.stream().allMatch(id -> state(id).equals("succeeded")));

        postgres.stopServer();

        var away = submit("{\"during\": 1}", "during-1");
        assertProblem(away, 503, "state-unavailable");
        assertThat(away.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(Http.json(away).path("detail").asText())
                .contains("cannot be reached")
                .contains("try again");
        var sync = flowhost.http().postJson("/v1/services/echo/echo", "{\"sync\": true}");
        assertThat(sync.statusCode()).as("a sync call needs no state").isEqualTo(200);
        assertThat(flowhost.http().get("/healthz").statusCode()).isEqualTo(200);

        postgres.startServer();

        // The caller retries with the same key: the failed attempt wrote nothing, so this is a new request.
        var retried = new AtomicReference<HttpResponse<String>>();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    retried.set(submit("{\"during\": 1}", "during-1"));
                    return retried.get().statusCode() == 202;
                });
        assertThat(retried.get().headers().firstValue("Idempotent-Replayed")).isEmpty();
        accepted.add(Http.json(retried.get()).path("id").asText());
        for (int i = 0; i < 5; i++) {
            var r = submit("{\"after\": " + i + "}", "after-" + i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            accepted.add(Http.json(r).path("id").asText());
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> accepted.stream().allMatch(id -> state(id).equals("succeeded")));
    }
}
