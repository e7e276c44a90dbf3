package io.flowhost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's jar, fetched over real HTTP from a stand-in gateway on port 0. */
class JarFetchTest {

    private static final byte[] JAR = "not really a jar, but bytes with a hash".getBytes(StandardCharsets.UTF_8);
    private static final String SHA = JarFetch.sha256(JAR);

    @TempDir
    Path dir;

    private HttpServer gateway;
    private final Deque<Integer> statuses = new ArrayDeque<>(); // answers to give before the jar, in order
    private final AtomicInteger asked = new AtomicInteger();
    private volatile String lastAuthorization;

    @BeforeEach
    void start() throws IOException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/v1/deployments/echo-v1/jar", exchange -> {
            asked.incrementAndGet();
            lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
            Integer status = statuses.poll();
            if (status != null) {
                var body = ("{\"status\": " + status + "}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(200, JAR.length);
                exchange.getResponseBody().write(JAR);
            }
            exchange.close();
        });
        gateway.start();
    }

    @AfterEach
    void stop() {
        gateway.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + gateway.getAddress().getPort() + "/v1/deployments/echo-v1/jar");
    }

    @Test
    void theJarIsKeptOnceItsHashIsTheDeployedOneAndTheTokenIsSent() throws IOException {
        var target = dir.resolve("jars").resolve(SHA + ".jar");

        assertThat(JarFetch.fetch(url(), SHA, "secret-token", target)).isEqualTo(target);

        assertThat(target).hasBinaryContent(JAR);
        assertThat(lastAuthorization).isEqualTo("Bearer secret-token");
    }

    @Test
    void aJarWithAnotherHashIsRefusedAndNotKept() {
        var other = "0".repeat(64);
        var target = dir.resolve(other + ".jar");

        assertThatThrownBy(() -> JarFetch.fetch(url(), other, null, target))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has SHA-256 " + SHA + ", not " + other)
                .hasMessageContaining("refusing to run it");
        assertThat(target).doesNotExist();
    }

    @Test
    void aRefusalIsNotTriedAgainAndSaysWhatTheGatewaySaid() {
        statuses.add(401);

        assertThatThrownBy(() -> JarFetch.fetch(url(), SHA, "wrong", dir.resolve("a.jar")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("answered 401")
                .hasMessageContaining("{\"status\": 401}");
        assertThat(asked).hasValue(1);
    }

    @Test
    void aGatewayThatIsNotReadyYetIsAskedAgain() throws IOException {
        statuses.add(503);
        statuses.add(503);

        JarFetch.fetch(url(), SHA, null, dir.resolve("a.jar"));

        assertThat(asked).hasValue(3);
    }

    @Test
    void aJarFetchedBeforeIsNotFetchedAgain() throws IOException {
        var target = dir.resolve(SHA + ".jar");
        Files.write(target, JAR);

        JarFetch.fetch(url(), SHA, null, target);

        assertThat(asked).hasValue(0);
    }
}
