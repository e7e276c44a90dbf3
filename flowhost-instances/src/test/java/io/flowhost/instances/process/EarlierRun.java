package io.flowhost.instances.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.instances.InstanceDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An instance's folder as a run of the server before this one left it, and what becomes of it. */
final class EarlierRun {

    private static final String LOG_LINE = "a line from the earlier run";

    private EarlierRun() {}

    /**
     * Starts the deployment's first instance where an earlier run left a folder of the same id, and checks that the
     * folder is kept apart, whole, and the new instance's holds nothing of it.
     */
    static void startAfterOne(InstanceDriver driver, Path dataDir, Deployment deployment) throws Exception {
        var id = deployment.id() + "-1";
        leaveFolder(dataDir, id);

        driver.start(deployment, id);

        assertKeptApart(dataDir, id);
    }

    /** Leaves a folder for instance {@code id}: its log, and the marker of an instance that was called. */
    private static void leaveFolder(Path dataDir, String id) throws IOException {
        var dir = Files.createDirectories(dataDir.resolve("instances").resolve(id));
        Files.writeString(dir.resolve("instance.log"), LOG_LINE + "\n");
        Files.writeString(dir.resolve("served"), "");
    }

    /** The earlier folder is kept beside, whole; the new instance's has nothing of it. */
    private static void assertKeptApart(Path dataDir, String id) throws IOException {
        var instances = dataDir.resolve("instances");
        assertThat(Files.readString(instances.resolve(id + ".previous").resolve("instance.log")))
                .contains(LOG_LINE);
        assertThat(Files.readString(instances.resolve(id).resolve("instance.log")))
                .doesNotContain(LOG_LINE)
                .contains("listening on");
        assertThat(instances.resolve(id).resolve("served"))
                .as("the new instance was not called")
                .doesNotExist();
    }
}
