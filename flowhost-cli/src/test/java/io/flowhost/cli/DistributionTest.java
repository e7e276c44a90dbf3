package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowhost.cli.release.BuildInfo;
import io.flowhost.cli.release.MavenRepository;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as a user gets it: made by bin/make-dist.sh from the packaged jar, unpacked into an empty folder; its
 * bin/flowhost makes a project with flowhost new, the project builds offline with its own wrapper against the SDK that
 * flowhost new installed, and the unpacked flowhost serves it to a real HTTP call.
 */
@Tag("e2e")
class DistributionTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern SERVING = Pattern.compile("Serving hello \\(\\S+\\) at (http://\\S+)");

    @TempDir
    Path tmp;

    @Test
    void theUnpackedTarballMakesAProjectThatBuildsOfflineAndServesIt() throws Exception {
        assumeTrue(
                Boolean.getBoolean("flowhost.dist.test"),
                "runs in the build's integration-test phase, on the jar that package has just made");
        var build = BuildInfo.current();
        var name = "flowhost-" + build.version();

        run(
                ROOT,
                180,
                "bash",
                ROOT.resolve("bin/make-dist.sh").toString(),
                tmp.resolve("out").toString());
        var tarball = tmp.resolve("out/" + name + ".tar.gz");
        var unpacked = Files.createDirectories(tmp.resolve("opt"));
        run(unpacked, 60, "tar", "-xzf", tarball.toString());
        var home = unpacked.resolve(name);
        var flowhost = home.resolve("bin/flowhost").toString();

        var sdkPath = "io/flowhost/flowhost-sdk/" + build.version() + "/flowhost-sdk-" + build.version();
        assertThat(home.resolve("lib/flowhost.jar")).exists();
        assertThat(home.resolve("maven-repository/" + sdkPath + ".pom")).exists();
        assertThat(home.resolve("examples/iris/target/iris-service.jar")).exists();
        assertThat(home.resolve("examples/README.md")).content().contains("examples/iris/target/iris-service.jar");
        assertThat(home.resolve("examples/iris/metaflow/.metaflow/IrisFlow")).isDirectory();
        assertThat(home.resolve("licenses/THIRD-PARTY.txt"))
                .content()
                .contains("com.fasterxml.jackson.core:jackson-databind:")
                .contains("com.microsoft.onnxruntime:onnxruntime:");
        assertThat(run(tmp, 60, flowhost, "--version"))
                .startsWith("flowhost " + build.version() + " (commit " + build.commit() + ")");

        var work = Files.createDirectories(tmp.resolve("work"));
        var m2 = tmp.resolve("m2");
        var made = run(work, 60, flowhost, "new", "hello", "--maven-repo", m2.toString());
        assertThat(made).contains("installed io.flowhost:flowhost-sdk:" + build.version());
        assertThat(m2.resolve(sdkPath + ".jar"))
                .hasSameBinaryContentAs(home.resolve("maven-repository/" + sdkPath + ".jar"));

        // Offline: the SDK from the repository flowhost new installed it into; Maven's plugins and JUnit from this
        // machine's own (a tail repository is only read).
        var machine = MavenRepository.local(systemProperties()).root();
        var project = work.resolve("hello");
        run(
                project,
                300,
                "./mvnw",
                "-o",
                "-B",
                "-q",
                "package",
                "-Dmaven.repo.local=" + m2,
                "-Dmaven.repo.local.tail=" + machine);
        assertThat(project.resolve("target/hello.jar")).exists();

        var log = tmp.resolve("serve.log");
        var serve = new ProcessBuilder(flowhost, "serve", "target/hello.jar", "--port", "0")
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        serve.environment().put("JAVA_HOME", System.getProperty("java.home"));
        var server = serve.start();
        try {
            var url = await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> servingUrl(log, server), u -> !u.isEmpty());
            var answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url + "/predict"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Ada\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"message\":\"Hello, Ada!\"");
        } finally {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /** The URL serve printed, empty until it has; fails with the log if serve has exited. */
    private static String servingUrl(Path log, Process server) throws IOException {
        var text = Files.readString(log);
        var m = SERVING.matcher(text);
        if (m.find()) {
            return m.group(1);
        }
        if (!server.isAlive()) {
            throw new AssertionError("flowhost serve exited with " + server.exitValue() + ":\n" + text);
        }
        return "";
    }

    /** Runs a command to its end and returns its output; fails with the output if it fails or takes too long. */
    private String run(Path dir, int seconds, String... command) throws Exception {
        var output = Files.createTempFile(tmp, "out", ".log");
        var builder = new ProcessBuilder(List.of(command))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("MAVEN_OPTS", "--sun-misc-unsafe-memory-access=allow");
        var process = builder.start();
        boolean ended = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!ended) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        var text = Files.readString(output);
        assertThat(ended && process.exitValue() == 0)
                .as("%s (%s)%n%s", String.join(" ", command), ended ? "exit " + process.exitValue() : "timed out", text)
                .isTrue();
        return text;
    }

    private static HashMap<String, String> systemProperties() {
        var properties = new HashMap<String, String>();
        System.getProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
        return properties;
    }
}
