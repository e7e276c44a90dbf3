package io.flowhost.cli;

import static io.flowhost.cli.CommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.metaflow.pickle.TestPickles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowhost metaflow runs|show} on the real IrisFlow datastore the iris example ships with. */
class MetaflowCommandTest {

    static final String ROOT =
            Path.of("../examples/iris/metaflow").toAbsolutePath().normalize().toString();
    static final String LATEST_SUCCESSFUL = "1795691852170532";
    static final int MIB = 1024 * 1024;

    @Test
    void runsAreListedNewestFirstWithTheirOutcomeAndTags() {
        var runs = run("metaflow", "runs", "IrisFlow", "--root", ROOT);

        assertThat(runs.exitCode()).as(runs.err()).isZero();
        var lines = runs.out().lines().toList();
        assertThat(lines.get(0)).startsWith("RUN");
        assertThat(lines.get(1)).startsWith("1795691857254202").contains(" no ").contains("iris-broken");
        assertThat(lines.get(2))
                .startsWith("1795691852170532")
                .contains(" yes ")
                .contains("candidate, fixture, iris-v2");
        assertThat(lines.get(3)).startsWith("1795691848256588").contains(" yes ");
    }

    @Test
    void aTagNarrowsTheRuns() {
        var runs = run("metaflow", "runs", "IrisFlow", "--root", ROOT, "--tag", "iris-v1");

        assertThat(runs.out().lines().skip(1).toList())
                .hasSize(1)
                .first()
                .asString()
                .startsWith("1795691848256588");
    }

    @Test
    void showJsonPrintsTheTaggedValueOfTheLatestSuccessfulRunsArtifact() throws Exception {
        var json = new ObjectMapper();

        var names = run("metaflow", "show", "metaflow://IrisFlow/latest/end/class_names", "--root", ROOT, "--json");
        var threshold = run("metaflow", "show", "metaflow://IrisFlow/latest/end/threshold", "--root", ROOT, "--json");
        var model = run("metaflow", "show", "metaflow://IrisFlow/latest/end/model_onnx", "--root", ROOT, "--json");

        assertThat(json.readTree(names.out()).toString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(json.readTree(threshold.out()).asDouble()).isEqualTo(0.65);
        assertThat(json.readTree(model.out()).path("$type").asText()).isEqualTo("bytes");
        assertThat(json.readTree(model.out()).path("length").asInt()).isEqualTo(328);
    }

    @Test
    void showWithATagPicksTheLatestSuccessfulRunCarryingIt() throws Exception {
        var seed = run("metaflow", "show", "metaflow://IrisFlow/latest/end/seed?tag=iris-v1", "--root", ROOT, "--json");

        assertThat(seed.exitCode()).as(seed.err()).isZero();
        assertThat(new ObjectMapper().readTree(seed.out()).asInt()).isEqualTo(7);
    }

    @Test
    void anArtifactOnlyPythonCanReadIsExplained() {
        var show = run("metaflow", "show", "metaflow://IrisFlow/latest/end/sk_model", "--root", ROOT);

        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.err())
                .contains("sklearn.linear_model._logistic.LogisticRegression")
                .contains("cannot be read on the JVM");
    }

    @Test
    void aMalformedReferenceIsExplained() {
        var show = run("metaflow", "show", "metaflow://IrisFlow/latest", "--root", ROOT);

        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.err()).contains("metaflow://Flow/<run-id|latest>/step/artifact");
    }

    @Test
    void withoutADatastoreTheCommandSaysHowToNameOne() {
        var runs = run("metaflow", "runs", "IrisFlow", "--root", "/nonexistent/place");

        assertThat(runs.exitCode()).isEqualTo(1);
        assertThat(runs.err()).contains("no .metaflow folder");
    }

    @Test
    void aReferenceThatWouldLeaveTheDatastoreIsRefusedNamingTheBadPart() {
        var show = run("metaflow", "show", "metaflow://../../x/y", "--root", ROOT);
        var runs = run("metaflow", "runs", "..", "--root", ROOT);

        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.err()).contains("the flow name '..' is not allowed").doesNotContain("examples");
        assertThat(runs.exitCode()).isEqualTo(2);
        assertThat(runs.err()).contains("the flow name '..' is not allowed");
        assertThat(runs.out()).isEmpty();
    }

    @Test
    void showStopsAtMaxOutputAndSaysHowToPrintMore() {
        var show = run(
                "metaflow",
                "show",
                "metaflow://IrisFlow/latest/end/model_onnx",
                "--root",
                ROOT,
                "--json",
                "--max-output",
                "100");

        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.out()).startsWith("{\"$type\":\"bytes\",\"length\":328,");
        assertThat(show.out().strip()).hasSize(100);
        assertThat(show.err())
                .contains("stopped printing IrisFlow/" + LATEST_SUCCESSFUL + "/end/3/model_onnx after 100 bytes")
                .contains("--max-output 256MiB");
        assertNoStackTrace(show);
    }

    @Test
    void aLargerMaxOutputPrintsTheWholeValue() throws Exception {
        var show = run(
                "metaflow",
                "show",
                "metaflow://IrisFlow/latest/end/model_onnx",
                "--root",
                ROOT,
                "--json",
                "--max-output",
                "1KiB");

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(new ObjectMapper().readTree(show.out()).path("length").asInt())
                .isEqualTo(328);
    }

    @Test
    void aKilobytePickleThatExpandsToAGigabyteOfJsonStopsAtTheDefaultBound(@TempDir Path dir) throws Exception {
        var root = copyOfTheDatastore(dir);
        byte[] pickle = TestPickles.doubling("x".repeat(1000), 20); // 2^20 references to one 1000-character string
        plant(root, "threshold", out -> out.write(pickle));

        var show = run("metaflow", "show", "metaflow://IrisFlow/latest/end/threshold", "--root", root.toString());

        assertThat(pickle.length).isLessThan(1300);
        assertThat(show.exitCode()).isEqualTo(1);
        var lines = show.out().lines().toList();
        assertThat(lines.get(0)).startsWith("IrisFlow/" + LATEST_SUCCESSFUL + "/end/3/threshold");
        assertThat(show.out().length() - lines.get(0).length() - 2).isEqualTo(16 * MIB);
        assertThat(show.err()).contains("after 16 MiB: its JSON is larger than --max-output");
        assertNoStackTrace(show);
    }

    @Test
    void aPickleThatWouldExpandPastWhatJsonCanHoldIsRefusedNamingTheArtifact(@TempDir Path dir) throws Exception {
        var root = copyOfTheDatastore(dir);
        plant(root, "threshold", out -> out.write(TestPickles.doubling("x", 25)));

        var show = run(
                "metaflow", "show", "metaflow://IrisFlow/latest/end/threshold", "--root", root.toString(), "--json");

        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.out()).isEmpty();
        assertThat(show.err())
                .contains("cannot print IrisFlow/" + LATEST_SUCCESSFUL + "/end/3/threshold as JSON")
                .contains("would expand to");
        assertNoStackTrace(show);
    }

    @Test
    void runningOutOfMemoryWhileReadingEndsWithAClearMessage(@TempDir Path dir) throws Exception {
        var root = copyOfTheDatastore(dir);
        // A 256 MiB bytes value, a quarter of a megabyte once gzipped as Metaflow stores blobs.
        long size = 256L * MIB;
        plant(root, "threshold", out -> {
            out.write(new byte[] {(byte) 0x80, 4, (byte) 0x8e}); // PROTO 4, BINBYTES8
            for (int i = 0; i < 8; i++) {
                out.write((int) (size >>> (8 * i)));
            }
            var zeros = new byte[MIB];
            for (long written = 0; written < size; written += zeros.length) {
                out.write(zeros);
            }
            out.write(0x2e); // STOP
        });

        var show = runInAJvmWith(
                "-Xmx64m", "metaflow", "show", "metaflow://IrisFlow/latest/end/threshold", "--root", root.toString());

        assertThat(show.exitCode()).as(show.err()).isEqualTo(1);
        assertThat(show.err())
                .contains("ran out of memory reading IrisFlow/" + LATEST_SUCCESSFUL + "/end/3/threshold")
                .contains("-Xmx");
        assertNoStackTrace(show);
    }

    private static void assertNoStackTrace(CommandsTest.Run run) {
        assertThat(run.err())
                .startsWith("flowhost: ")
                .doesNotContain("\tat ")
                .doesNotContain("Exception")
                .doesNotContain("Error:");
    }

    /** The flowhost command in a JVM of its own, with the given heap option. */
    private static CommandsTest.Run runInAJvmWith(String heap, String... args) throws Exception {
        var command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                heap,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        var process = builder.start();
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var drainOut = Thread.ofVirtual().start(() -> copy(process.getInputStream(), out));
        var drainErr = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err));
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("flowhost " + String.join(" ", args) + " did not end within 2 minutes");
        }
        drainOut.join();
        drainErr.join();
        return new CommandsTest.Run(
                process.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream from, OutputStream to) {
        try (from) {
            from.transferTo(to);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path copyOfTheDatastore(Path into) throws IOException {
        var from = Path.of(ROOT);
        try (Stream<Path> files = Files.walk(from)) {
            for (var source : files.sorted().toList()) {
                var target = into.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                    target.toFile().setWritable(true);
                }
            }
        }
        return into;
    }

    interface PickleBytes {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Stores a pickle as Metaflow stores blobs (gzip, named by the SHA-1 of the pickle) and points the artifact at it. */
    private static void plant(Path root, String artifact, PickleBytes pickle) throws Exception {
        var sha1 = MessageDigest.getInstance("SHA-1");
        var data = root.resolve(".metaflow/IrisFlow/data");
        var written = data.resolve("planted.tmp");
        var size = new AtomicLong();
        try (var out = new DigestOutputStream(new GZIPOutputStream(Files.newOutputStream(written)), sha1) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                super.write(b, off, len);
                size.addAndGet(len);
            }

            @Override
            public void write(int b) throws IOException {
                super.write(b);
                size.incrementAndGet();
            }
        }) {
            pickle.writeTo(out);
        }
        var sha = HexFormat.of().formatHex(sha1.digest());
        var blob = data.resolve(sha.substring(0, 2)).resolve(sha);
        Files.createDirectories(blob.getParent());
        Files.move(written, blob);
        var json = new ObjectMapper();
        var taskData = root.resolve(".metaflow/IrisFlow/" + LATEST_SUCCESSFUL + "/end/3/0.data.json");
        var task = json.readTree(taskData.toFile());
        ((ObjectNode) task.path("objects")).put(artifact, sha);
        ((ObjectNode) task.path("info").path(artifact)).put("size", size.get()); // as Metaflow records it
        json.writeValue(taskData.toFile(), task);
    }
}
