package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.server.http.Limits;
import io.flowhost.server.tls.TestCertificate;
import io.flowhost.server.tls.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The port with {@code --tls-cert} and {@code --tls-key}: HTTPS only, HTTP/2 to a client that offers it and
 * HTTP/1.1 to one that does not, the same answers (calls through the gateway, management, problems) either way.
 */
@Tag("e2e")
class TlsTest {

    private static final int MAX_BODY = 64 * 1024;
    private static final Path CERTS = tempDir();
    private static final TestCertificate CERT = TestCertificate.selfSigned("flowhost-tls-test");

    static {
        CERT.writeTo(CERTS.resolve("cert.pem"), CERTS.resolve("key.pem"));
    }

    @RegisterExtension
    static final RunningServer flowhost = new RunningServer(
                    settings -> settings.withTls(new TlsFiles(CERTS.resolve("cert.pem"), CERTS.resolve("key.pem")))
                            .withLimits(Limits.defaults()
                                    .withMaxBody(MAX_BODY)
                                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(60))))
            .trusting(TestCertificate.trusting(CERT));

    private static Http h2;
    private static Http http11;

    @BeforeAll
    static void deployEcho() {
        h2 = new Http(flowhost.server().uri(), TestCertificate.trusting(CERT), HttpClient.Version.HTTP_2);
        http11 = new Http(flowhost.server().uri(), TestCertificate.trusting(CERT), HttpClient.Version.HTTP_1_1);
        flowhost.deploy(TestJars.exampleBytes("echo"), "?min-instances=1"); // a jar uploaded over HTTP/2
    }

    @AfterAll
    static void removeCertificates() throws IOException {
        try (var files = Files.list(CERTS)) {
            for (var file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(CERTS);
    }

    @Test
    void theServerSaysItListensOnHttps() {
        assertThat(flowhost.server().uri().getScheme()).isEqualTo("https");
        assertThat(flowhost.server().listening()).startsWith("https://127.0.0.1:");
    }

    @Test
    void aClientThatOffersH2GetsHttp2() {
        var response = h2.get("/v1/status");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void anHttp11OnlyClientGetsHttp11() {
        var response = http11.get("/v1/status");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void callsGoThroughTheGatewayOverEitherProtocol() {
        for (var client : new Http[] {h2, http11}) {
            var response = client.postJson("/v1/services/echo/echo", "{\"over\":\"tls\"}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"over\":\"tls\"}");
            assertThat(response.headers().firstValue("x-request-id")).isPresent();
        }
    }

    @Test
    void aStreamedAnswerComesOverHttp2AsDataFrames() {
        flowhost.deploy(
                TestJars.of(TestServices.Streams.class, TestServices.Ask.class, TestServices.Item.class),
                "?min-instances=1");
        var ask = "{\"count\": 3, \"delayMillis\": 0, \"failAt\": -1, \"padBytes\": 0, \"stallAt\": 0}";
        for (var client : new Http[] {h2, http11}) {
            var response = client.postJson("/v1/services/streams/publish", ask);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/jsonl");
            assertThat(response.body())
                    .isEqualTo("{\"i\":0,\"pad\":\"\"}\n{\"i\":1,\"pad\":\"\"}\n{\"i\":2,\"pad\":\"\"}\n");
        }
        assertThat(h2.postJson("/v1/services/streams/publish", ask).version()).isEqualTo(HttpClient.Version.HTTP_2);
    }

    @Test
    void manyCallsAtOnceShareOneHttp2Connection() {
        var calls = new ArrayList<CompletableFuture<Integer>>();
        for (int i = 0; i < 50; i++) {
            var body = "{\"n\":" + i + "}";
            calls.add(flowhost.async(
                    () -> h2.postJson("/v1/services/echo/echo", body).statusCode()));
        }

        assertThat(calls.stream().map(CompletableFuture::join)).containsOnly(200);
    }

    @Test
    void problemsComeBackAsProblemJsonOverHttp2() {
        var unknown = h2.postJson("/v1/services/nothing-here/echo", "{}");

        assertThat(unknown.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(unknown.body()).contains("urn:flowhost:problem:unknown-service");
    }

    @Test
    void aBodyOverTheLimitGets413OverHttp2() {
        var tooLarge = "{\"pad\":\"" + "x".repeat(MAX_BODY) + "\"}";

        var response = h2.postJson("/v1/services/echo/echo", tooLarge);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("urn:flowhost:problem:body-too-large");
    }

    @Test
    void moreThanAHundredHeadersGet431OverHttp2() {
        var request = h2.request("/v1/services/echo/echo").header("Content-Type", "application/json");
        for (int i = 0; i < 120; i++) {
            request.header("x-h" + i, "v");
        }

        var response = h2.send(request.POST(HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.statusCode()).isEqualTo(431);
        assertThat(response.body()).contains("at most 100 are read");
    }

    @Test
    void plainHttpOnTheTlsPortGets400SayingToUseHttps() {
        var response = RawHttp.exchange(
                flowhost.server().port(), "GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\n", new byte[0]);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("https://");
        assertThat(response.header("Connection")).isEqualTo("close");
    }

    @Test
    void aClientThatNeverSaysHelloIsClosedAfterTheHeaderTimeout() throws IOException {
        try (var socket = new Socket("127.0.0.1", flowhost.server().port())) {
            socket.setSoTimeout(30_000);
            var connected = Instant.now();

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.between(connected, Instant.now())).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedAndTheServerServesOn() {
        var stranger = new Http(
                flowhost.server().uri(),
                TestCertificate.trusting(TestCertificate.selfSigned("someone-else")),
                HttpClient.Version.HTTP_2);

        assertThatThrownBy(() -> stranger.get("/healthz")).isInstanceOf(UncheckedIOException.class);
        assertThat(h2.get("/healthz").statusCode()).isEqualTo(200);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("flowhost-tls-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
