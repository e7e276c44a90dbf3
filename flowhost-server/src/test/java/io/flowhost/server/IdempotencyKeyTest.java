package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One caller's async result never reaches another: an {@code Idempotency-Key} is bound to the request it first came
 * with, and a service's listing leaves results out unless asked for.
 */
@Tag("e2e")
class IdempotencyKeyTest {

    private static final String ALICE = "{\"card\": \"alice-4242\"}";

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    @BeforeEach
    void deploy() {
        flowhost.deploy(TestJars.exampleBytes("echo"));
    }

    private HttpResponse<String> submit(String body, String key) {
        var http = flowhost.http();
        return http.send(http.request("/v1/services/echo/echo")
                .header("Content-Type", "application/json")
                .header("Prefer", "respond-async")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Alice's request, run to its end, so that its result is there to be leaked. */
    private String finishedRequestOfAlice() {
        var accepted = submit(ALICE, "order-7");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var id = Http.json(accepted).path("id").asText();
        var done = Http.json(flowhost.http().get("/v1/requests/" + id + "?wait=60s"));
        assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
        assertThat(done.path("result").toString()).contains("alice-4242");
        return id;
    }

    @Test
    void aKeyReusedForAnotherBodyIs422AndRevealsNothingOfTheFirstRequest() {
        var alices = finishedRequestOfAlice();

        var mallory = submit("{\"card\": \"mallory\"}", "order-7");

        assertProblem(mallory, 422, "idempotency-key-reused");
        assertThat(Http.json(mallory).path("detail").asText())
                .contains("'order-7'")
                .contains("use a new key");
        assertThat(mallory.body()).doesNotContain("alice-4242").doesNotContain(alices);
        assertThat(mallory.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void theSameRequestSentAgainIsReplayedWithItsResult() {
        var alices = finishedRequestOfAlice();

        var retry = submit(ALICE, "order-7");

        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(Http.json(retry).path("id").asText()).isEqualTo(alices);
        assertThat(Http.json(retry).path("result").toString()).contains("alice-4242");
    }

    @Test
    void aServicesListingLeavesResultsOutUnlessAskedFor() {
        var alices = finishedRequestOfAlice();
        var http = flowhost.http();

        var listing = http.get("/v1/requests?service=echo");
        assertThat(listing.statusCode()).isEqualTo(200);
        JsonNode listed = Http.json(listing).path("requests").path(0);
        assertThat(listed.path("id").asText()).isEqualTo(alices);
        assertThat(listed.path("state").asText()).isEqualTo("succeeded");
        assertThat(listed.has("result")).as(listed.toString()).isFalse();
        assertThat(listing.body()).doesNotContain("alice-4242");

        var withResults = Http.json(http.get("/v1/requests?service=echo&results=true"));
        assertThat(withResults.path("requests").path(0).path("result").toString())
                .contains("alice-4242");
        assertThat(Http.json(http.get("/v1/requests/" + alices)).path("result").toString())
                .contains("alice-4242");

        var bad = http.get("/v1/requests?service=echo&results=yes");
        assertProblem(bad, 400, "bad-request");
        assertThat(Http.json(bad).path("detail").asText())
                .contains("results 'yes'")
                .contains("true or false");
    }
}
