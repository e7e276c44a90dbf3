package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The jars of retired versions go once newer retired versions keep theirs, so that deploys do not fill the disk. */
class RetiredJarsTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(s -> s.withRetiredJarsKept(1));

    /** A jar of the model service of its own: the padding makes each one's bytes, and so its SHA-256, different. */
    private static byte[] jar(int n) {
        return TestJars.padded(n, TestServices.Versioned.class);
    }

    private String deploy(byte[] jar) {
        var deployed = flowhost.http().deploy(jar);
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);
        return Http.json(deployed).path("jarSha256").asText();
    }

    @Test
    void aRetiredVersionsJarIsDroppedOnceNewerRetiredVersionsKeepTheirsAndKeptAgainWhenDeployedAgain()
            throws IOException {
        var firstJar = jar(1);
        var first = deploy(firstJar);
        var second = deploy(jar(2));
        assertThat(jarsKept()).as("one retired version keeps its jar").containsExactlyInAnyOrder(first, second);

        var third = deploy(jar(3));

        assertThat(jarsKept()).as("the oldest retired version's is dropped").containsExactlyInAnyOrder(second, third);
        assertThat(Http.json(flowhost.http().get("/v1/deployments/model-v1"))
                        .path("state")
                        .asText())
                .as("its record stays")
                .isEqualTo("retired");

        var again = deploy(firstJar); // the first version's jar, deployed again as the fourth
        assertThat(again).isEqualTo(first);
        assertThat(jarsKept()).containsExactlyInAnyOrder(first, third);
        assertThat(flowhost.http()
                        .postJson("/v1/services/model/predict", "{\"x\":1}")
                        .statusCode())
                .isEqualTo(200);
    }

    /** The SHA-256s of the jars kept under the data dir. */
    private List<String> jarsKept() throws IOException {
        try (var files = Files.list(flowhost.dataDir().resolve("jars"))) {
            return files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".jar"))
                    .map(name -> name.substring(0, name.length() - ".jar".length()))
                    .toList();
        }
    }
}
