package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instances die with their server, even when the server is killed with SIGKILL and runs no shutdown hook. */
@Tag("e2e")
class NoOrphansTest {

    @TempDir
    Path dataDir;

    @Test
    void killingTheServerWithSigkillLeavesNoInstanceBehind() throws Exception {
        var java = ProcessHandle.current().info().command().orElseThrow();
        var server = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ServerProcessMain.class.getName(),
                        dataDir.toString()))
                .redirectErrorStream(true)
                .start();
        try {
            var out = new BufferedReader(new InputStreamReader(server.getInputStream()));
            String line;
            int port = -1;
            while (port < 0 && (line = out.readLine()) != null) {
                if (line.startsWith("port=")) {
                    port = Integer.parseInt(line.substring(5));
                }
            }
            assertThat(port).as("the server printed its port").isPositive();
            Thread.ofVirtual().start(() -> out.lines().forEach(l -> {})); // keep its output pipe drained
            var http = new Http(URI.create("http://127.0.0.1:" + port));
            assertThat(http.deploy(TestJars.exampleBytes("echo")).statusCode()).isEqualTo(201);
            long pid = Http.json(http.get("/v1/services/echo"))
                    .path("instances")
                    .path(0)
                    .path("pid")
                    .asLong();
            var instance = ProcessHandle.of(pid).orElseThrow();
            assertThat(instance.isAlive()).isTrue();

            server.destroyForcibly(); // SIGKILL on Linux

            server.waitFor();
            await().atMost(Duration.ofSeconds(10)).until(() -> !instance.isAlive());
        } finally {
            server.destroyForcibly();
        }
    }
}
