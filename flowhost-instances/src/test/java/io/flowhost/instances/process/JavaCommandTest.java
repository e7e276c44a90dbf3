package io.flowhost.instances.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which class cache an instance's JVM is told to write or map. */
class JavaCommandTest {

    @TempDir
    Path dir;

    private String jarsOnly() throws IOException {
        return Files.writeString(dir.resolve("flowhost.jar"), "jar").toString();
    }

    private List<String> command(JavaCommand java) {
        return java.command("iris-v1", dir.resolve("iris-v1-1"), "Main", List.of());
    }

    private Path cache() {
        return dir.resolve("instances").resolve("cds").resolve("iris-v1" + (JavaCommand.aotCache() ? ".aot" : ".jsa"));
    }

    @Test
    void theFirstInstanceOfADeploymentWritesItsCacheAndLaterOnesMapIt() throws IOException {
        var java = JavaCommand.create(dir.resolve("instances"), List.of(), jarsOnly());

        var first = command(java);
        Files.writeString(cache(), "written by the first instance at its exit");
        var later = command(java);

        if (JavaCommand.aotCache()) {
            assertThat(first).contains("-XX:AOTCacheOutput=" + cache()).noneMatch(o -> o.startsWith("-Xshare"));
            assertThat(later).contains("-XX:AOTCache=" + cache());
        } else {
            assertThat(first).contains("-XX:SharedArchiveFile=" + cache(), "-XX:+AutoCreateSharedArchive");
            assertThat(later).contains("-XX:SharedArchiveFile=" + cache(), "-XX:+AutoCreateSharedArchive");
        }
        assertThat(first.indexOf("Main"))
                .isGreaterThan(first.indexOf("@" + dir.resolve("instances/instance-classpath.args")));
    }

    @Test
    void anOperatorsOwnSharingOptionsAreLeftAlone() throws IOException {
        var java = JavaCommand.create(dir.resolve("instances"), List.of("-Xshare:off"), jarsOnly());

        assertThat(command(java))
                .contains("-Xshare:off")
                .noneMatch(o -> o.contains("AOTCache") || o.contains("SharedArchiveFile"));
    }

    @Test
    void aClassPathWithAFolderOfClassesGetsNoCacheSinceTheJvmCannotWriteOne() throws IOException {
        var classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("Main.class"), "");
        var java = JavaCommand.create(dir.resolve("instances"), List.of(), jarsOnly() + File.pathSeparator + classes);

        assertThat(command(java)).noneMatch(o -> o.contains("AOTCache") || o.contains("SharedArchiveFile"));
    }

    @Test
    void aSpareStartsWithASmallHeapUnlessTheOperatorChoseOne() throws IOException {
        var spare = JavaCommand.create(dir.resolve("instances"), List.of(), jarsOnly())
                .spareCommand(dir.resolve(".spare-1"), "Main", List.of("--spare"));
        var chosen = JavaCommand.create(dir.resolve("instances"), List.of("-Xms512m"), jarsOnly())
                .spareCommand(dir.resolve(".spare-2"), "Main", List.of("--spare"));

        assertThat(spare).contains("-Xms16m").endsWith("Main", "--spare");
        assertThat(chosen).contains("-Xms512m").doesNotContain("-Xms16m");
    }
}
