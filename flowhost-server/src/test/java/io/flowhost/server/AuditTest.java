package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit trail on a real server: deploys, undeploys, tokens made and revoked, and every refused attempt, each one
 * JSON line in logs/audit.log and read back, oldest first, from GET /v1/audit by an admin.
 */
@Tag("e2e")
class AuditTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    private HttpRequest.Builder as(HttpRequest.Builder request, String token) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private String token(String name, String scope, String admin) {
        var http = flowhost.http();
        var created = http.send(as(
                http.request("/v1/tokens")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\": \"" + name + "\", \"scope\": \"" + scope + "\"}")),
                admin));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Http.json(created).path("token").asText();
    }

    private List<JsonNode> events(String admin) {
        var http = flowhost.http();
        var answer = http.send(as(http.request("/v1/audit?since=1h").GET(), admin));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        var out = new ArrayList<JsonNode>();
        Http.json(answer).path("events").forEach(out::add);
        return out;
    }

    @Test
    void managementActionsAndRefusedAttemptsAreEachOneLineReadBackOldestFirst() throws IOException {
        var http = flowhost.http();
        flowhost.deploy(TestJars.exampleBytes("echo"), "?require-token=true");
        var admin = token("root", "admin", null);
        var reader = token("dash", "read", admin);
        var ci = token("ci", "deploy", admin);

        var refusedDeploy = http.send(as(
                http.request("/v1/deployments")
                        .header("Content-Type", "application/java-archive")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})),
                reader));
        assertThat(refusedDeploy.statusCode()).isEqualTo(403);
        assertThat(http.send(http.request("/v1/status").GET()).statusCode()).isEqualTo(401);
        var refusedCall = http.send(as(
                http.request("/v1/services/echo/echo")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}")),
                reader));
        assertThat(refusedCall.statusCode()).isEqualTo(403);
        assertThat(http.send(as(http.request("/v1/deployments/echo-v1").DELETE(), ci))
                        .statusCode())
                .isEqualTo(200);
        assertThat(http.send(as(http.request("/v1/tokens/dash").DELETE(), admin))
                        .statusCode())
                .isEqualTo(200);
        assertThat(http.send(as(http.request("/v1/audit").GET(), ci)).statusCode())
                .as("the trail is an admin's to read")
                .isEqualTo(403);

        await().atMost(Duration.ofSeconds(30)).until(() -> events(admin).size() >= 10);
        var events = events(admin);
        assertThat(events)
                .extracting(
                        e -> e.path("actor").asText(null),
                        e -> e.path("action").asText(),
                        e -> e.path("target").asText(),
                        e -> e.path("result").asText(),
                        e -> e.path("status").asInt())
                .containsExactly(
                        tuple(null, "deploy", "echo-v1", "ok", 201),
                        tuple(null, "token.create", "root", "ok", 201),
                        tuple("root", "token.create", "dash", "ok", 201),
                        tuple("root", "token.create", "ci", "ok", 201),
                        tuple("dash", "deploy", "/v1/deployments", "refused", 403),
                        tuple(null, "GET /v1/status", "/v1/status", "refused", 401),
                        tuple("dash", "call", "echo", "refused", 403),
                        tuple("ci", "undeploy", "echo-v1", "ok", 200),
                        tuple("root", "token.revoke", "dash", "ok", 200),
                        tuple("ci", "GET /v1/audit", "/v1/audit", "refused", 403));
        assertThat(events.get(4).path("detail").asText()).contains("needs deploy");
        assertThat(events.getFirst().path("source").asText()).isEqualTo("127.0.0.1");

        var lines = Files.readAllLines(flowhost.dataDir().resolve("logs/audit.log"));
        assertThat(lines).hasSize(10);
        assertThat(new ObjectMapper().readTree(lines.get(6)).path("action").asText())
                .isEqualTo("call");
        assertThat(Files.readString(flowhost.dataDir().resolve("logs/requests.log")))
                .as("kept apart from the request log")
                .doesNotContain("token.create");
    }
}
