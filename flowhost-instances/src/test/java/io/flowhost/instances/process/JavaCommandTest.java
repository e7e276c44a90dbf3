package io.flowhost.instances.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowhost.runtime.InstanceMain;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    void anInstanceCalledWhileRecordingLeavesItsDeploymentTheCacheLaterOnesMap() throws IOException {
        var java = JavaCommand.create(dir.resolve("instances"), List.of(), jarsOnly());
        var first = command(java);
        assertThat(first.indexOf("Main"))
                .isGreaterThan(first.indexOf("@" + dir.resolve("instances/instance-classpath.args")));
        if (!JavaCommand.aotCache()) {
            assertThat(first).contains("-XX:SharedArchiveFile=" + cache(), "-XX:+AutoCreateSharedArchive");
            return; // the AppCDS archive is written in place, by the JVM itself
        }
        var recorded = dir.resolve("iris-v1-1/class-cache.aot");
        var marker = dir.resolve("iris-v1-1/served");
        assertThat(first)
                .contains("-XX:AOTCacheOutput=" + recorded, "-D" + InstanceMain.SERVED_MARKER + "=" + marker)
                .noneMatch(o -> o.startsWith("-Xshare"));
        // what the instance's JVM leaves at its exit, having been called
        Files.createDirectories(recorded.getParent());
        Files.writeString(recorded, "the cache");
        Files.writeString(marker, "called");

        java.adoptAotCache("iris-v1", dir.resolve("iris-v1-1"));

        assertThat(cache()).hasContent("the cache");
        assertThat(recorded).doesNotExist();
        var mapping = command(java);
        assertThat(mapping).contains("-XX:AOTCache=" + cache()).noneMatch(o -> o.contains("AOTCacheOutput"));
        if (Runtime.version().feature() == 25) {
            // its method profiles are not replayed: the compiles they start compete with the start on two cores
            assertThat(mapping).containsSubsequence("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTReplayTraining");
        }
    }

    @Test
    void aStartMappingItsDeploymentsCacheHasOptionsThisJvmAccepts() throws Exception {
        assumeTrue(JavaCommand.aotCache(), "the AOT cache needs JDK 25");
        var java = JavaCommand.create(dir.resolve("instances"), List.of(), jarsOnly());
        Files.createDirectories(cache().getParent());
        Files.writeString(cache(), "not a cache: this JVM only reads its options");
        var command = command(java);

        // everything before the class path's argument file, the cache itself left out (a JVM ignores a bad one)
        var options = new ArrayList<>(
                command.subList(0, command.indexOf("@" + dir.resolve("instances/instance-classpath.args"))));
        options.removeIf(o -> o.startsWith("-XX:AOTCache="));
        options.add("-version");
        var jvm = new ProcessBuilder(options).redirectErrorStream(true).start();
        var output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(jvm.waitFor()).as(output).isZero();
    }

    @Test
    void theCacheOfAnInstanceNeverCalledIsDroppedAndTheNextInstanceRecordsAgain() throws IOException {
        assumeTrue(JavaCommand.aotCache(), "the AOT cache needs JDK 25");
        var java = JavaCommand.create(dir.resolve("instances"), List.of(), jarsOnly());
        command(java);
        var recorded = Files.createDirectories(dir.resolve("iris-v1-1")).resolve("class-cache.aot");
        Files.writeString(recorded, "a cache of a start alone");

        java.adoptAotCache("iris-v1", dir.resolve("iris-v1-1"));

        assertThat(recorded).doesNotExist();
        assertThat(cache()).doesNotExist();
        assertThat(java.command("iris-v1", dir.resolve("iris-v1-2"), "Main", List.of()))
                .contains("-XX:AOTCacheOutput=" + dir.resolve("iris-v1-2/class-cache.aot"));
    }

    @Test
    void anInstanceThatRecordedNothingLeavesTheCacheAsItWas() throws IOException {
        assumeTrue(JavaCommand.aotCache(), "the AOT cache needs JDK 25");
        var java = JavaCommand.create(dir.resolve("instances"), List.of(), jarsOnly());
        Files.writeString(cache(), "kept");
        Files.createDirectories(dir.resolve("iris-v1-3"));
        Files.writeString(dir.resolve("iris-v1-3/served"), "called");

        java.adoptAotCache("iris-v1", dir.resolve("iris-v1-3")); // killed before its exit wrote one, say

        assertThat(cache()).hasContent("kept");
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

        assertThat(spare).contains("-Xms4m").endsWith("Main", "--spare");
        assertThat(chosen).contains("-Xms512m").doesNotContain("-Xms4m");
    }
}
