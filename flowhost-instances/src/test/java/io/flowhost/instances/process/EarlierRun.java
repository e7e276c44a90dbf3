package io.flowhost.instances.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An instance's folder as a run of the server before this one left it, and what becomes of it. */
final class EarlierRun {

    private static final String LOG_LINE = "a line from the earlier run";

    private EarlierRun() {}

    /** Leaves a folder for instance {@code id}: its log, and the marker of an instance that was called. */
    static void leaveFolder(Path dataDir, String id) throws IOException {
        var dir = Files.createDirectories(dataDir.resolve("instances").resolve(id));
        Files.writeString(dir.resolve("instance.log"), LOG_LINE + "\n");
        Files.writeString(dir.resolve("served"), "");
    }

    /** The earlier folder is kept beside, whole; the new instance's has nothing of it. */
    static void assertKeptApart(Path dataDir, String id) throws IOException {
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
