package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jar larger than the gateway's whole heap deploys: its upload is written to a file as it comes, never held in
 * memory (held, it was refused by a dropped connection once the gateway ran out of direct memory).
 */
@Tag("e2e")
class LargeJarTest {

    @Test
    void aJarLargerThanTheGatewaysHeapIsDeployedAndServesAndLeavesNoUploadBehind(@TempDir Path dir) throws Exception {
        var jar = TestJars.largeExample("echo", 160, dir);
        var dataDir = dir.resolve("data");
        try (var server = ServerProcess.start(dataDir, List.of("-Xmx96m"))) {
            var http = new Http(server.uri());

            var deployed = http.send(http.request("/v1/deployments")
                    .header("Content-Type", "application/java-archive")
                    .POST(HttpRequest.BodyPublishers.ofFile(jar)));

            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
            var kept = Http.json(deployed).path("jarSha256").asText();
            assertThat(Files.size(dataDir.resolve("jars").resolve(kept + ".jar")))
                    .isEqualTo(Files.size(jar));
            var echoed = http.postJson("/v1/services/echo/echo", "{\"text\":\"large\"}");
            assertThat(echoed.statusCode()).as(echoed.body()).isEqualTo(200);
            assertThat(echoed.body()).contains("large");
            try (var uploads = Files.list(dataDir.resolve("uploads"))) {
                assertThat(uploads).as("uploads left behind").isEmpty();
            }
            assertThat(server.output()).noneMatch(line -> line.contains("OutOfMemoryError"));
        }
    }
}
