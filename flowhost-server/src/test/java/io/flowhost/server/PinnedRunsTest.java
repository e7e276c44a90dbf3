package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployment resolves "latest" once: after a restart its instances still load the run it was
 * deployed with, even when the datastore's latest successful run has changed since, while a new
 * deployment takes the new latest.
 */
@Tag("e2e")
class PinnedRunsTest {

    static final String DEPLOYED_RUN = "1795691852170532";
    static final String OLDER_RUN = "1795691848256588";

    @TempDir
    Path dataDir;

    @TempDir
    Path datastore;

    @Test
    void aRestartedDeploymentKeepsItsRunWhileANewDeploymentTakesTheNewLatest() throws Exception {
        copy(Path.of(TestJars.irisDatastore().root()), datastore);
        var settings = TestSettings.defaults(dataDir).withMetaflow(DatastoreOptions.of(datastore.toString()));
        try (var server = FlowhostServer.start(settings)) {
            var http = new Http(server.uri());
            var deployed = Http.json(http.deploy(TestJars.exampleBytes("iris")));
            assertThat(deployed.path("runs").path("IrisFlow").asText()).isEqualTo("IrisFlow/" + DEPLOYED_RUN);
            assertThat(Http.json(http.get("/v1/services/iris/model"))
                            .path("run")
                            .asText())
                    .isEqualTo("IrisFlow/" + DEPLOYED_RUN);
        }

        markUnsuccessful(DEPLOYED_RUN); // the latest successful run is now the older one

        try (var server = FlowhostServer.start(settings)) {
            var http = new Http(server.uri());
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(Http.json(http.get("/v1/services/iris/model"))
                                    .path("run")
                                    .asText())
                            .isEqualTo("IrisFlow/" + DEPLOYED_RUN));

            var redeployed = Http.json(http.deploy(TestJars.exampleBytes("iris")));

            assertThat(redeployed.path("runs").path("IrisFlow").asText()).isEqualTo("IrisFlow/" + OLDER_RUN);
            assertThat(Http.json(http.get("/v1/services/iris/model"))
                            .path("run")
                            .asText())
                    .isEqualTo("IrisFlow/" + OLDER_RUN);
        }
    }

    @Test
    void aSettingNamingARunReferenceIsPinnedWhenDeployed() throws Exception {
        copy(Path.of(TestJars.irisDatastore().root()), datastore);
        var settings = TestSettings.defaults(dataDir).withMetaflow(DatastoreOptions.of(datastore.toString()));
        try (var server = FlowhostServer.start(settings)) {
            var http = new Http(server.uri());

            var deployed = Http.json(http.deploy(
                    TestJars.exampleBytes("iris"), "?set=model%3Dmetaflow://IrisFlow/latest/end?tag%3Diris-v1"));

            assertThat(deployed.path("settings").path("model").asText())
                    .isEqualTo("metaflow://IrisFlow/" + OLDER_RUN + "/end");
            assertThat(Http.json(http.get("/v1/services/iris/model"))
                            .path("run")
                            .asText())
                    .isEqualTo("IrisFlow/" + OLDER_RUN);
        }
    }

    @Test
    void aReferenceToARunThatIsNotThereRefusesTheDeploy() throws Exception {
        copy(Path.of(TestJars.irisDatastore().root()), datastore);
        var settings = TestSettings.defaults(dataDir).withMetaflow(DatastoreOptions.of(datastore.toString()));
        try (var server = FlowhostServer.start(settings)) {
            var http = new Http(server.uri());

            var response = http.deploy(TestJars.exampleBytes("iris"), "?set=model%3Dmetaflow://IrisFlow/42/end");

            GatewayTest.assertProblem(response, 422, "invalid-service");
            assertThat(Http.json(response).path("detail").asText())
                    .contains("no run '42'")
                    .contains(DEPLOYED_RUN);
        }
    }

    /** Points the run's end task at the _success=False blob of the failed run, as if its end step had failed. */
    private void markUnsuccessful(String run) throws Exception {
        var json = new ObjectMapper();
        var flow = datastore.resolve(".metaflow/IrisFlow");
        var failed = json.readTree(
                flow.resolve("1795691857254202/train/2/0.data.json").toFile());
        var falseSha = failed.path("objects").path("_success").asText();
        var endData = flow.resolve(run + "/end/3/0.data.json");
        var data = (ObjectNode) json.readTree(endData.toFile());
        ((ObjectNode) data.path("objects")).put("_success", falseSha);
        Files.writeString(endData, data.toString());
    }

    private static void copy(Path from, Path to) throws Exception {
        try (var files = Files.walk(from)) {
            for (var source : files.sorted(Comparator.naturalOrder()).toList()) {
                var target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                    target.toFile().setWritable(true);
                }
            }
        }
    }
}
