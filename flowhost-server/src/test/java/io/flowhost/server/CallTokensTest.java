package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A deployment that asks for invoke tokens, and quotas, on a real server: calls without a token are refused, calls
 * with one for the service go on, calls past a quota get 429 with the IETF RateLimit fields, and /metrics counts
 * each token's calls.
 */
@Tag("e2e")
class CallTokensTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    private Http http;

    @BeforeEach
    void client() {
        http = flowhost.http();
    }

    private HttpResponse<String> call(String token) {
        return http.postJson("/v1/services/echo/echo", "{\"hello\": 1}", token);
    }

    private String token(String body, String admin) {
        var request = http.request("/v1/tokens")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (admin != null) {
            request.header("Authorization", "Bearer " + admin);
        }
        var created = http.send(request);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Http.json(created).path("token").asText();
    }

    private HttpResponse<String> submit(String token, String key) {
        return http.send(http.request("/v1/services/echo/echo")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Prefer", "respond-async")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"order\": 7}")));
    }

    @Test
    void anIdempotencyKeyIsEachCallersOwn() {
        flowhost.deploy(TestJars.exampleBytes("echo"), "?require-token=true");
        var admin = token("{\"name\": \"root\", \"scope\": \"admin\"}", null);
        var alice = token("{\"name\": \"alice\", \"scope\": \"invoke:echo\"}", admin);
        var bob = token("{\"name\": \"bob\", \"scope\": \"invoke:echo\"}", admin);

        var first = submit(alice, "order-7");
        var retried = submit(alice, "order-7");
        var bobs = submit(bob, "order-7");

        assertThat(List.of(first, retried, bobs))
                .allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(202));
        var id = Http.json(first).path("id").asText();
        assertThat(Http.json(retried).path("id").asText()).isEqualTo(id);
        assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(Http.json(bobs).path("id").asText()).isNotEqualTo(id);
        assertThat(bobs.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    private String get(String path, String token) {
        var response = http.send(
                http.request(path).header("Authorization", "Bearer " + token).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void aDeploymentThatAsksForATokenTakesOnlyOneThatMayCallIt() {
        var deployed = flowhost.deploy(TestJars.exampleBytes("echo"), "?require-token=true");
        assertThat(deployed.path("access").path("require-token").asText()).isEqualTo("true");

        var without = call(null);
        assertProblem(without, 401, "unauthorized");
        assertThat(without.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(Http.json(without).path("detail").asText()).contains("scope invoke:echo");

        var admin = token("{\"name\": \"root\", \"scope\": \"admin\"}", null);
        var caller = token("{\"name\": \"echo-app\", \"scope\": \"invoke:echo\"}", admin);
        var stranger = token("{\"name\": \"iris-app\", \"scope\": \"invoke:iris\"}", admin);

        var answered = call(caller);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(Http.json(answered).path("hello").asInt()).isEqualTo(1);
        assertProblem(call(stranger), 403, "forbidden");
        assertThat(call(admin).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", admin))
                .contains("flowhost_token_calls_total{outcome=\"admitted\",token=\"echo-app\"}");

        var revoked = http.send(http.request("/v1/tokens/echo-app")
                .header("Authorization", "Bearer " + admin)
                .DELETE());
        assertThat(revoked.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> call(caller).statusCode() == 401);
    }

    @Test
    void anOpenDeploymentStillTakesCallsWithoutATokenOnceTokensExist() {
        flowhost.deploy(TestJars.exampleBytes("echo"));
        token("{\"name\": \"root\", \"scope\": \"admin\"}", null);

        assertThat(call(null).statusCode()).isEqualTo(200);
    }

    @Test
    void callsPastAQuotaGet429SayingWhenToComeBackInTheIetfFields() {
        flowhost.deploy(TestJars.exampleBytes("echo"), "?require-token=true&rate=1/min&burst=5");
        var admin = token("{\"name\": \"root\", \"scope\": \"admin\"}", null);
        var batch =
                token("{\"name\": \"batch\", \"scope\": \"invoke:echo\", \"rate\": \"1/min\", \"burst\": 2}", admin);

        assertThat(call(batch).statusCode()).isEqualTo(200);
        assertThat(call(batch).statusCode()).isEqualTo(200);
        var limited = call(batch);

        assertProblem(limited, 429, "rate-limited");
        assertThat(limited.headers().firstValue("Retry-After").map(Integer::parseInt))
                .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1, 60));
        assertThat(limited.headers().firstValue("RateLimit-Policy")).hasValue("\"token-batch\";q=2;w=120");
        assertThat(limited.headers().firstValue("RateLimit"))
                .hasValueSatisfying(field -> assertThat(field).startsWith("\"token-batch\";r=0;t="));
        assertThat(Http.json(limited).path("detail").asText()).contains("token 'batch' is past its quota");

        // the service's own quota (5 at once) counts every caller: three more of the admin's calls use it up
        for (int i = 0; i < 3; i++) {
            assertThat(call(admin).statusCode()).isEqualTo(200);
        }
        var serviceLimited = call(admin);
        assertProblem(serviceLimited, 429, "rate-limited");
        assertThat(serviceLimited.headers().firstValue("RateLimit-Policy")).hasValue("\"service-echo\";q=5;w=300");

        var metrics = get("/metrics", admin);
        assertThat(metrics)
                .contains("flowhost_token_calls_total{outcome=\"limited\",token=\"batch\"} 1.0")
                .contains("flowhost_calls_limited_total{service=\"echo\"} 1.0");
    }
}
