package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A web page the developer opens cannot deploy, replace or undeploy code on a local flowhost: not with a
 * body a browser may send cross-origin without asking, not from another origin, not through a DNS name
 * re-bound to 127.0.0.1. What a script or the CLI sends still works.
 */
@Tag("e2e")
class CrossSiteDeployTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    int port;
    byte[] jar;

    @BeforeEach
    void setUp() {
        port = flowhost.server().port();
        jar = TestJars.exampleBytes("echo");
    }

    private String deployHead(String extraHeaders) {
        return "POST /v1/deployments HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + extraHeaders;
    }

    private int deployments() {
        return Http.json(flowhost.http().get("/v1/deployments"))
                .path("deployments")
                .size();
    }

    @Test
    void aJarWithoutContentTypeAsAPageSendsItIsRefusedWith415() {
        var refused = RawHttp.exchange(port, deployHead(""), jar);

        assertThat(refused.status()).isEqualTo(415);
        assertThat(refused.body()).contains("unsupported-media-type").contains("application/java-archive");
        assertThat(deployments()).isZero();
    }

    @Test
    void aJarSentAsTextOrAFormIsRefusedWith415() {
        for (var type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/octet-stream"}) {
            var refused = RawHttp.exchange(port, deployHead("Content-Type: " + type + "\r\n"), jar);

            assertThat(refused.status()).as(type).isEqualTo(415);
        }
        assertThat(deployments()).isZero();
    }

    @Test
    void aRequestFromAPageOfAnotherOriginIsRefusedWith403() {
        var refused = RawHttp.exchange(
                port, deployHead("Content-Type: application/java-archive\r\nOrigin: https://evil.example\r\n"), jar);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("urn:flowhost:problem:forbidden").contains("evil.example");
        assertThat(deployments()).isZero();
    }

    @Test
    void aPageReachingTheServerThroughARebindingDnsNameIsRefusedWith403() {
        var head = "POST /v1/deployments HTTP/1.1\r\nHost: rebind.evil.example:" + port
                + "\r\nOrigin: http://rebind.evil.example:" + port + "\r\nContent-Type: application/java-archive\r\n";

        var refused = RawHttp.exchange(port, head, jar);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).contains("rebind.evil.example").contains("DNS rebinding");
        assertThat(deployments()).isZero();
    }

    @Test
    void undeployingThroughARebindingNameIsRefusedAndTheServiceStays() {
        flowhost.deploy(jar);

        var refused = RawHttp.exchange(
                port,
                "DELETE /v1/deployments/echo-v1 HTTP/1.1\r\nHost: rebind.evil.example:" + port + "\r\n",
                new byte[0]);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(flowhost.http()
                        .postJson("/v1/services/echo/echo", "{\"still\":1}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void theServersOwnOriginAndEveryLoopbackNameMayDeploy() {
        var sameOrigin = RawHttp.exchange(
                port,
                deployHead("Content-Type: application/java-archive\r\nOrigin: http://127.0.0.1:" + port + "\r\n"),
                jar);
        assertThat(sameOrigin.status()).as(sameOrigin.body()).isEqualTo(201);

        for (var host : new String[] {"localhost", "[::1]"}) {
            var listed = RawHttp.exchange(
                    port, "GET /v1/deployments HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n", new byte[0]);
            assertThat(listed.status()).as(host).isEqualTo(200);
        }
    }
}
