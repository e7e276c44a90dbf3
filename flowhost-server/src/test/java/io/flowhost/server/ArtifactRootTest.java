package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A deploy names files only under the folders the operator listed: not /etc/passwd, not a key beside them. */
@Tag("e2e")
class ArtifactRootTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(s -> s.withArtifactRoots(List.of(models(s.dataDir()))));

    private static Path models(Path dataDir) {
        try {
            var models = Files.createDirectories(dataDir.resolve("models"));
            Files.writeString(models.resolve("thresholds.json"), "{\"t\": 0.7}");
            return models;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String set(String key, String value) {
        return "?set=" + URLEncoder.encode(key + "=" + value, StandardCharsets.UTF_8);
    }

    @Test
    void aSettingOrAModelNamingAFileOutsideTheRootsIsRefusedAndOneInsideIsDeployed() throws IOException {
        var http = flowhost.http();
        var root = models(flowhost.dataDir()).toRealPath();

        var passwd = http.deploy(TestJars.exampleBytes("echo"), set("users", "file:/etc/passwd"));
        assertProblem(passwd, 400, "invalid-settings");
        assertThat(Http.json(passwd).path("detail").asText())
                .contains("setting users: file:/etc/passwd is outside the folders")
                .contains("--artifact-root");
        var climbing = http.deploy(TestJars.exampleBytes("echo"), set("users", "file:" + root + "/../x.pem"));
        assertProblem(climbing, 400, "invalid-settings");
        var model = http.send(http.request("/v1/deployments")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"onnx\": \"file:/etc/shadow\", \"name\": \"stolen\"}")));
        assertProblem(model, 400, "invalid-settings");

        flowhost.deploy(TestJars.exampleBytes("echo"), set("thresholds", "file:" + root.resolve("thresholds.json")));
    }
}
