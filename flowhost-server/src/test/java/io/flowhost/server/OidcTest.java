package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static io.flowhost.server.access.TestIssuer.claims;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.server.access.OidcSettings;
import io.flowhost.server.access.TestIssuer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Single sign-on on a real server: the JWTs of an identity provider (its keys served over HTTP on loopback) deploy,
 * look and call as their scopes grant, without a flowhost token made first; JWTs it did not sign, or for someone
 * else, or expired, are refused with 401.
 */
@Tag("e2e")
class OidcTest {

    private static TestIssuer idp;

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(
            s -> s.withOidc(OidcSettings.of(TestIssuer.ISSUER, idp.jwksUrl()).withAudience("flowhost")));

    private Http http;

    @BeforeAll
    static void identityProvider() {
        idp = new TestIssuer();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @BeforeEach
    void client() {
        http = flowhost.http();
    }

    private static String jwt(String sub, String scope) {
        return idp.token(claims(sub, scope, Instant.now()));
    }

    private HttpResponse<String> deploy(String token, String query) {
        return http.send(http.request("/v1/deployments" + query)
                .header("Content-Type", "application/java-archive")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestJars.exampleBytes("echo"))));
    }

    private HttpResponse<String> get(String path, String token) {
        var request = http.request(path).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request);
    }

    private HttpResponse<String> call(String token) {
        return http.postJson("/v1/services/echo/echo", "{\"hello\": 1}", token);
    }

    @Test
    void aDeployJwtDeploysAndLooksButMayNotManageTokens() {
        var alice = jwt("alice", "openid email deploy");

        var refused = get("/v1/deployments", null);
        assertProblem(refused, 401, "unauthorized");
        assertThat(Http.json(refused).path("detail").asText())
                .as("asked for on loopback with no flowhost token: the issuer's tokens exist")
                .contains("or send a JWT of " + TestIssuer.ISSUER);
        var deployed = deploy(alice, "");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        assertThat(get("/v1/deployments", alice).statusCode()).isEqualTo(200);

        var tokens = get("/v1/tokens", alice);
        assertProblem(tokens, 403, "forbidden");
        assertThat(Http.json(tokens).path("detail").asText())
                .isEqualTo("token 'oidc:alice' has scope deploy; this needs admin");
    }

    @Test
    void anInvokeJwtCallsTheDeploymentThatAsksForATokenAndIsCountedByItsName() {
        var root = jwt("root", "admin");
        var deployed = deploy(root, "?require-token=true");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        var caller = jwt("echo-app", "invoke:echo");

        var answered = call(caller);
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(Http.json(answered).path("hello").asInt()).isEqualTo(1);
        assertThat(call(caller).statusCode()).as("again, believed for a second").isEqualTo(200);

        var stranger = call(jwt("iris-app", "invoke:iris"));
        assertProblem(stranger, 403, "forbidden");
        assertThat(Http.json(stranger).path("detail").asText()).contains("this needs invoke:echo");
        assertProblem(call(null), 401, "unauthorized");
        assertThat(get("/metrics", root).body())
                .contains("flowhost_token_calls_total{outcome=\"admitted\",token=\"oidc:echo-app\"} 2.0");
    }

    @Test
    void jwtsThatAreExpiredForeignUnsignedOrSignedByAnotherKeyAreRefusedWith401() {
        assertThat(deploy(jwt("root", "admin"), "?require-token=true").statusCode())
                .isEqualTo(201);
        var now = Instant.now();
        var expired = idp.token(
                claims("alice", "invoke:echo", now.minusSeconds(900)).expirationTime(Date.from(now.minusSeconds(300))));
        var foreign = idp.token(claims("alice", "invoke:echo", now).issuer("https://elsewhere.test"));
        var otherAudience = idp.token(claims("alice", "invoke:echo", now).audience("grafana"));
        var unsigned = TestIssuer.unsignedToken(claims("alice", "invoke:echo", now));
        var forged = idp.strangerToken("rsa-9", claims("alice", "invoke:echo", now));

        for (var token : new String[] {expired, foreign, otherAudience, unsigned, forged}) {
            var refused = call(token);
            assertProblem(refused, 401, "unauthorized");
            assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        }
        assertThat(Http.json(call(expired)).path("detail").asText()).contains("this JWT expired at");
        assertThat(Http.json(call(unsigned)).path("detail").asText()).contains("alg none");
        assertThat(Http.json(get("/v1/status", forged)).path("detail").asText())
                .contains("signed by a key its issuer does not list");
    }
}
