package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Scoped tokens on a real server: none asked for until one exists, then 401 without, 403 with too little. */
@Tag("e2e")
class TokensTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    private Http http;

    @BeforeEach
    void client() {
        http = flowhost.http();
    }

    private HttpResponse<String> get(String path, String token) {
        var request = http.request(path).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request);
    }

    private HttpResponse<String> create(String body, String token) {
        var request = http.request("/v1/tokens")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request);
    }

    private String token(HttpResponse<String> created) {
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Http.json(created).path("token").asText();
    }

    @Test
    void withoutTokensNothingIsAskedAndOnceOneExistsEveryManagementRouteAsks() {
        assertThat(get("/v1/deployments", null).statusCode()).isEqualTo(200);

        var admin = token(create("{\"name\": \"root\", \"scope\": \"admin\"}", null));

        assertThat(admin).startsWith("fh_");
        var refused = get("/v1/deployments", null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(Http.json(refused).path("detail").asText())
                .contains("Authorization: Bearer")
                .contains("FLOWHOST_TOKEN");
        assertThat(get("/v1/deployments", "fh_guessed").statusCode()).isEqualTo(401);
        assertThat(get("/v1/deployments", admin).statusCode()).isEqualTo(200);
        assertThat(get("/healthz", null).statusCode()).as("probes stay open").isEqualTo(200);
        assertThat(get("/readyz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aTokenMayDoWhatItsScopeGrantsAndIsToldWhatItLacks() {
        var admin = token(create("{\"name\": \"root\", \"scope\": \"admin\"}", null));
        var reader = token(create("{\"name\": \"dash\", \"scope\": \"read\"}", admin));

        assertThat(get("/v1/status", reader).statusCode()).isEqualTo(200);
        var deploy = http.send(http.request("/v1/deployments")
                .header("Content-Type", "application/java-archive")
                .header("Authorization", "Bearer " + reader)
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestJars.exampleBytes("echo"))));
        assertThat(deploy.statusCode()).isEqualTo(403);
        assertThat(Http.json(deploy).path("detail").asText())
                .isEqualTo("token 'dash' has scope read; this needs deploy (or admin)");
        var tokens = get("/v1/tokens", reader);
        assertThat(tokens.statusCode()).as("tokens are admin's").isEqualTo(403);
        assertThat(Http.json(tokens).path("detail").asText())
                .isEqualTo("token 'dash' has scope read; this needs admin");

        var deployed = http.send(http.request("/v1/deployments")
                .header("Content-Type", "application/java-archive")
                .header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestJars.exampleBytes("echo"))));
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        assertThat(http.postJson("/v1/services/echo/echo", "{\"open\": true}").statusCode())
                .as("calls ask for no token unless the deployment says so")
                .isEqualTo(200);
    }

    @Test
    void aDeployWithoutTheRightTokenIsRefusedFromItsHeadBeforeItsJarIsSentAndRecorded() throws IOException {
        var admin = token(create("{\"name\": \"root\", \"scope\": \"admin\"}", null));
        var reader = token(create("{\"name\": \"dash\", \"scope\": \"read\"}", admin));

        // The head announces 256 MiB and none of it is sent: an answer can only come from the head.
        var anonymous = deployHeadOnly(null);
        var tooLittle = deployHeadOnly(reader);

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("Connection")).isEqualTo("close");
        assertThat(anonymous.body()).contains("Authorization: Bearer");
        assertThat(tooLittle.status()).isEqualTo(403);
        assertThat(tooLittle.body()).contains("token 'dash' has scope read; this needs deploy (or admin)");
        assertThat(flowhost.dataDir().resolve("uploads"))
                .as("where an upload would be written, made when one is")
                .doesNotExist();
        var deploys = new ArrayList<String>();
        Http.json(get("/v1/audit?since=1h", admin)).path("events").forEach(event -> {
            if (event.path("action").asText().equals("deploy")) {
                deploys.add(event.path("actor").asText("-") + " "
                        + event.path("result").asText() + " "
                        + event.path("status").asInt());
            }
        });
        assertThat(deploys).as("each refusal recorded once").containsExactly("- refused 401", "dash refused 403");
    }

    /** The answer to the head of a deploy of 256 MiB, its body never sent. */
    private RawHttp.Response deployHeadOnly(String token) throws IOException {
        try (var socket = new Socket("127.0.0.1", flowhost.server().port())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream()
                    .write(("POST /v1/deployments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Content-Type: application/java-archive\r\nContent-Length: " + (256 << 20)
                                    + "\r\n" + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                                    + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return RawHttp.read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    @Test
    void tokensAreListedWithoutThemselvesRefusedTwiceByNameAndRevokedAtOnce() {
        var admin = token(create("{\"name\": \"root\", \"scope\": \"admin\"}", null));
        var ci = token(create("{\"name\": \"ci\", \"scope\": \"deploy\", \"expires\": \"30d\"}", admin));

        var listed = get("/v1/tokens", admin);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(Http.json(listed).path("tokens").findValuesAsText("name")).containsExactly("ci", "root");
        assertThat(listed.body()).doesNotContain(ci).doesNotContain(admin).doesNotContain("sha256");
        assertThat(Http.json(listed).path("tokens").path(0).path("expiresAt").asText())
                .isNotEmpty();

        var again = create("{\"name\": \"ci\", \"scope\": \"read\"}", admin);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(Http.json(again).path("detail").asText()).contains("'ci' exists already");
        var bad = create("{\"name\": \"x\", \"scope\": \"write\"}", admin);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Http.json(bad).path("detail").asText()).contains("expected admin, deploy, read or invoke:SERVICE");

        var revoked = http.send(http.request("/v1/tokens/ci")
                .header("Authorization", "Bearer " + admin)
                .DELETE());
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(get("/v1/status", ci).statusCode()).isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsRefusedSayingSo() {
        var admin = token(create("{\"name\": \"root\", \"scope\": \"admin\"}", null));
        var brief = token(create("{\"name\": \"brief\", \"scope\": \"read\", \"expires\": \"1s\"}", admin));
        assertThat(get("/v1/status", brief).statusCode()).isEqualTo(200);

        var refused = await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/v1/status", brief), r -> r.statusCode() == 401);

        assertThat(Http.json(refused).path("detail").asText()).contains("token 'brief' expired at");
    }

    @Test
    void metricsNeedAReadTokenUnlessLeftOpenForAScraper(@TempDir Path dir) {
        var admin = token(create("{\"name\": \"root\", \"scope\": \"admin\"}", null));
        var reader = token(create("{\"name\": \"prometheus\", \"scope\": \"read\"}", admin));
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", reader).statusCode()).isEqualTo(200);

        try (var open = FlowhostServer.start(TestSettings.defaults(dir).withOpenMetrics(true))) {
            var there = new Http(open.uri());
            var made = there.send(there.request("/v1/tokens")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"root\", \"scope\": \"admin\"}")));
            assertThat(made.statusCode()).isEqualTo(201);
            assertThat(there.get("/metrics").statusCode()).isEqualTo(200);
            assertThat(there.get("/v1/status").statusCode()).isEqualTo(401);
        }
    }
}
