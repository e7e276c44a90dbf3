package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.runtime.internal.JarFetch;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod fetches its deployment's jar from any gateway with the deployment's token: the real runtime's fetch
 * against a real server, and refusals for a missing or another deployment's token.
 */
@Tag("e2e")
class JarFetchTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    @TempDir
    Path dir;

    @Test
    void theJarIsHandedOnlyWithTheDeploymentsTokenAndIsTheDeployedOne() throws Exception {
        // larger than the connection's write buffer (1 MiB), so that it is sent in turns as the fetch reads it
        var jar = Files.readAllBytes(TestJars.largeExample("echo", 8, dir));
        var deployed = flowhost.deploy(jar);
        var sha = deployed.path("jarSha256").asText();
        var http = flowhost.http();
        var url = flowhost.server().uri().resolve("/v1/deployments/echo-v1/jar");

        HttpResponse<String> none = http.get("/v1/deployments/echo-v1/jar");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(Http.json(none).path("type").asText()).endsWith("unauthorized");
        var otherDeploymentsToken = flowhost.server().tokens().tokenFor("echo-v2");
        assertThat(http.send(http.request("/v1/deployments/echo-v1/jar")
                                .header("Authorization", "Bearer " + otherDeploymentsToken))
                        .statusCode())
                .isEqualTo(401);

        var token = flowhost.server().tokens().tokenFor("echo-v1");
        var fetched = JarFetch.fetch(url, sha, token, dir.resolve("echo.jar"));

        assertThat(fetched).hasBinaryContent(jar);
        try (var left = Files.list(dir)) {
            assertThat(left)
                    .as("no partial fetch left")
                    .containsExactlyInAnyOrder(fetched, dir.resolve("echo-8mib.jar"));
        }
    }
}
