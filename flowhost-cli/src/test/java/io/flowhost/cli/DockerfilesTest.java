package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images' Dockerfiles (no image can be built here: no registry is reachable) copy what the build makes,
 * run as a user that is not root, and start a class that exists.
 */
class DockerfilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern COPY = Pattern.compile("^COPY (\\S+) ");

    private static List<String> lines(String name) throws IOException {
        return Files.readAllLines(ROOT.resolve("deploy/docker").resolve(name));
    }

    @Test
    void bothImagesCopyTheJarTheBuildMakesAndRunAsAnotherUserThanRoot() throws IOException {
        for (var name : List.of("instance.Dockerfile", "server.Dockerfile")) {
            var lines = lines(name);
            var copied = lines.stream()
                    .map(COPY::matcher)
                    .filter(m -> m.find())
                    .map(m -> m.group(1))
                    .toList();
            assertThat(copied).as(name).contains("flowhost-cli/target/flowhost.jar");
            // The jar the CLI module's build names flowhost.jar (its finalName), and the examples' own jars.
            assertThat(Files.readString(ROOT.resolve("flowhost-cli/pom.xml")))
                    .contains("<finalName>flowhost</finalName>");
            for (var source : copied) {
                assertThat(source.startsWith("flowhost-cli/target/") || Files.exists(ROOT.resolve(source)))
                        .as(name + " copies " + source + ", which the build makes")
                        .isTrue();
            }
            assertThat(lines).as(name).contains("USER 10001");
        }
    }

    @Test
    void theInstanceImageStartsTheInstanceRuntime() throws Exception {
        var entry = String.join("\n", lines("instance.Dockerfile"));
        var main = "io.flowhost.runtime.InstanceMain";

        assertThat(entry).contains("\"" + main + "\"]");
        assertThat(Class.forName(main)).isNotNull();
    }
}
