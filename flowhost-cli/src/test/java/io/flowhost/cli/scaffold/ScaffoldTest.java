package io.flowhost.cli.scaffold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.cli.release.BuildInfo;
import io.flowhost.cli.release.MavenRepository;
import io.flowhost.cli.release.PublishedJar;
import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.pickle.NdArray;
import io.flowhost.metaflow.pickle.PyTuple;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The projects flowhost new writes compile with javac against the SDK alone (and JUnit), and their tests pass. */
class ScaffoldTest {

    static final Path IRIS_ROOT =
            Path.of("../examples/iris/metaflow").toAbsolutePath().normalize();

    private final BuildInfo build = BuildInfo.current();

    @TempDir
    Path tmp;

    @Test
    void aPlainProjectCompilesAndItsTestsPass() throws Exception {
        var spec = ProjectSpec.of("fraud-score", "com.acme.fraud");
        var dir = tmp.resolve("fraud-score");

        Scaffold.plain(spec, build).writeTo(dir);

        assertThat(dir.resolve("src/main/java/com/acme/fraud/FraudScoreService.java"))
                .exists();
        assertThat(Files.readString(dir.resolve("pom.xml")))
                .contains("<finalName>fraud-score</finalName>")
                .contains("<flowhost.version>" + build.version() + "</flowhost.version>")
                .contains("<scope>provided</scope>");
        assertThat(Files.isExecutable(dir.resolve("mvnw"))).isTrue();
        assertThat(dir.resolve(".mvn/wrapper/maven-wrapper.properties")).exists();
        var summary = compileAndTest(dir, "com.acme.fraud");
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    }

    @Test
    void theIrisRunBecomesTypedFieldsAScoringEndpointAndAPassingTest() throws Exception {
        var spec = ProjectSpec.of("iris-model", null);
        var dir = tmp.resolve("iris-model");
        try (var datastore = Datastore.open(IRIS_ROOT.toString())) {
            var run = datastore.flow("IrisFlow").latestSuccessfulRun().orElseThrow();
            Scaffold.fromRun(spec, build, run, "--metaflow-root " + IRIS_ROOT).writeTo(dir);
        }

        var service = Files.readString(dir.resolve("src/main/java/com/example/irismodel/IrisModelService.java"));
        assertThat(service)
                .contains("private static final String STEP = \"metaflow://IrisFlow/latest/end/\";")
                .contains("private final List<List<Double>> coef;")
                .contains("private final List<String> classNames;")
                .contains("private final double threshold;")
                .contains("private final long seed;")
                .contains("private final Map<String, Double> metrics;")
                .contains("private final OnnxModel modelOnnx;")
                .contains("this.modelOnnx = OnnxModel.load((byte[]) artifacts.value(STEP + \"model_onnx\"));")
                .contains("An ONNX model, run by ONNX Runtime: inputs [features FP32")
                .contains("outputs [probabilities FP32 [-1, 3]]")
                .contains("@Endpoint(value = \"predict-onnx\", example = \"{\\\"features\\\": [1.0, 1.0, 1.0, 1.0]}\")")
                .contains("this.coef = cast(artifacts.value(STEP + \"coef\"));")
                .contains("@Endpoint(value = \"predict\", example = \"{\\\"features\\\": [1.0, 1.0, 1.0, 1.0]}\")");
        // The sklearn model: the Javadoc says it is left out, and why.
        assertThat(service).contains("<li>sk_model:").contains("sklearn").doesNotContain("skModel");
        assertThat(Files.readString(dir.resolve("README.md")))
                .contains("flowhost serve target/iris-model.jar --metaflow-root " + IRIS_ROOT);
        assertThat(dir.resolve("src/test/resources/artifacts/model_onnx.bin")).exists();

        assertThat(Files.readString(dir.resolve("pom.xml"))).contains("<artifactId>flowhost-onnx</artifactId>");
        // The generated test runs the ONNX model in ONNX Runtime, on the run's bytes copied into src/test/resources.
        var summary = compileAndTest(dir, "com.example.irismodel");
        assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
    }

    @Test
    void numpyArraysAndTuplesAreHeldAsTheReaderGivesThem() throws Exception {
        var spec = ProjectSpec.of("arrays", null);
        var weights = new NdArray("<f8", new int[] {2, 3}, false, doubles(1, 2, 3, 4, 5, 6));
        var bias = new NdArray("<f8", new int[] {2}, false, doubles(0.5, -0.5));
        var run = new RunArtifacts(
                "ArrayFlow",
                "17",
                "end",
                List.of(
                        field("bias", bias),
                        field("labels", List.of("no", "yes")),
                        field("shape", PyTuple.of(2L, 3L)),
                        field("weights", weights)),
                List.of());
        var source = new RunServiceSource(spec, run);
        var dir = tmp.resolve("arrays");
        var files = new LinkedHashMap<String, byte[]>();
        files.put("src/main/java/com/example/arrays/ArraysService.java", utf8(source.service()));
        files.put("src/test/java/com/example/arrays/ArraysServiceTest.java", utf8(source.test()));
        files.put(
                "src/test/java/com/example/arrays/TestContext.java",
                utf8(Template.fill("TestContext.java.tmpl", Map.of("packageName", "com.example.arrays"))));
        source.testResources().forEach((path, bytes) -> files.put("src/test/resources/" + path, bytes));
        new ServiceProject(files, Set.of("flowhost-metaflow"), "").writeTo(dir);

        assertThat(source.service())
                .contains("private final NdArray weights;")
                .contains("private final PyTuple shape;")
                .contains("weights.getDouble(k * 3 + j)")
                .contains("bias.getDouble(k)");
        assertThat(run.published()).containsExactly("flowhost-metaflow");
        assertThat(compileAndTest(dir, "com.example.arrays").getTestsSucceededCount())
                .isEqualTo(2);
    }

    @Test
    void withNoModelInTheirShapesTheEndpointAnswersWithWhatWasLoaded() throws Exception {
        var spec = ProjectSpec.of("misc", null);
        var nested = new LinkedHashMap<Object, Object>();
        nested.put("quote \" and \\ and é", Double.NaN);
        nested.put(3L, Arrays.asList(null, true, new BigInteger("123456789012345678901234567890")));
        var longList = Collections.nCopies(5_000, "abcdef");
        var run = new RunArtifacts(
                "MiscFlow",
                "9",
                "end",
                List.of(
                        field("blob", new byte[] {0, 1, 2}),
                        field("missing", null),
                        field("nested", nested),
                        field("big", longList),
                        field("class", "a keyword for a name")),
                List.of(new LeftOut("frame", "a pandas DataFrame: only Python can rebuild it")));
        var source = new RunServiceSource(spec, run);
        var dir = tmp.resolve("misc");
        var files = new LinkedHashMap<String, byte[]>();
        files.put("src/main/java/com/example/misc/MiscService.java", utf8(source.service()));
        files.put("src/test/java/com/example/misc/MiscServiceTest.java", utf8(source.test()));
        files.put(
                "src/test/java/com/example/misc/TestContext.java",
                utf8(Template.fill("TestContext.java.tmpl", Map.of("packageName", "com.example.misc"))));
        source.testResources().forEach((path, bytes) -> files.put("src/test/resources/" + path, bytes));
        new ServiceProject(files, Set.of(), "").writeTo(dir);

        assertThat(source.service())
                .contains("@Endpoint(\"artifacts\")")
                .contains("private final Map<Object, Object> nested;")
                .contains("private final Object missing;")
                .contains("private final String classValue;")
                .contains("<li>frame: a pandas DataFrame: only Python can rebuild it");
        // 5,000 strings are too long to copy into the test: it gives an empty list of the same type instead.
        assertThat(source.test()).contains("values.put(STEP + \"big\", TestContext.list());");
        assertThat(compileAndTest(dir, "com.example.misc").getTestsSucceededCount())
                .isEqualTo(1);
    }

    @Test
    void badNamesAndPackagesSayWhatToUse() {
        assertThatThrownBy(() -> ProjectSpec.of("Fraud_Score", null))
                .isInstanceOf(ScaffoldException.class)
                .hasMessageContaining("lowercase letters, digits and single dashes");
        assertThatThrownBy(() -> ProjectSpec.of("fraud", "com.acme.new"))
                .isInstanceOf(ScaffoldException.class)
                .hasMessageContaining("--package");
        assertThat(ProjectSpec.of("fraud-score-2", null))
                .isEqualTo(new ProjectSpec("fraud-score-2", "com.example.fraudscore2", "FraudScore2Service"));
    }

    @Test
    void aFolderWithFilesIsNotWrittenInto() throws Exception {
        Files.writeString(tmp.resolve("notes.txt"), "mine");

        assertThatThrownBy(
                        () -> Scaffold.plain(ProjectSpec.of("x", null), build).writeTo(tmp))
                .isInstanceOf(ScaffoldException.class)
                .hasMessageContaining("exists and is not empty");
        assertThat(Files.readString(tmp.resolve("notes.txt"))).isEqualTo("mine");
    }

    private TestExecutionSummary compileAndTest(Path dir, String pkg) throws Exception {
        var repository = new MavenRepository(tmp.resolve("m2"));
        var sdk = repository.install(PublishedJar.sdk(build));
        var project = new GeneratedProject(dir);
        var summary = project.test(project.compile(sdk), pkg);
        var failures = new ArrayList<String>();
        summary.getFailures()
                .forEach(f -> failures.add(f.getTestIdentifier().getDisplayName() + ": " + f.getException()));
        assertThat(failures).isEmpty();
        return summary;
    }

    private static ArtifactField field(String name, Object value) {
        return ArtifactField.of(
                name, "<class '" + name + "'>", JavaType.of(value).orElseThrow(), value);
    }

    private static byte[] doubles(double... values) {
        var buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (var v : values) {
            buffer.putDouble(v);
        }
        return buffer.array();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
