package io.flowhost.metaflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.metaflow.error.CorruptArtifactException;
import io.flowhost.metaflow.error.NotFoundException;
import io.flowhost.metaflow.error.UnreadableArtifactException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading real local datastores, checked against what Metaflow's own client read from them. */
class LocalDatastoreTest {

    static final String LATEST_SUCCESSFUL = "1795691852170532";

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.IRIS, Fixtures.LEGACY})
    void runsAreListedNewestFirstAsTheClientOrdersThem(String fixture) {
        var expected = Fixtures.expected(fixture);
        try (var datastore = Datastore.open(Fixtures.root(fixture).toString())) {
            var flow = datastore.flow("IrisFlow");

            assertThat(flow.runs().stream().map(Run::id).toList())
                    .isEqualTo(texts(expected.path("runs_in_client_order")));
            assertThat(flow.latestRun().id())
                    .isEqualTo(expected.path("latest_run").asText());
            assertThat(flow.latestSuccessfulRun())
                    .map(Run::id)
                    .hasValue(expected.path("latest_successful_run").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.IRIS, Fixtures.LEGACY})
    void everyRunHasTheClientsCreationTimeTagsAndOutcome(String fixture) {
        var expected = Fixtures.expected(fixture);
        try (var datastore = Datastore.open(Fixtures.root(fixture).toString())) {
            for (var run : datastore.flow("IrisFlow").runs()) {
                var want = expected.path("runs").path(run.id());
                assertThat(run.createdAt().toEpochMilli())
                        .as(run.id())
                        .isEqualTo(want.path("created_at_ms").asLong());
                assertThat(run.tags()).as(run.id()).isEqualTo(texts(want.path("user_tags")));
                assertThat(run.systemTags()).as(run.id()).isEqualTo(texts(want.path("system_tags")));
                assertThat(run.successful())
                        .as(run.id())
                        .isEqualTo(want.path("successful").asBoolean());
                assertThat(run.finished())
                        .as(run.id())
                        .isEqualTo(want.path("finished").asBoolean());
                assertThat(run.endTask().map(Task::pathspec).orElse(null))
                        .as(run.id())
                        .isEqualTo(
                                want.path("end_task").isNull()
                                        ? null
                                        : want.path("end_task").asText());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Fixtures.IRIS, Fixtures.LEGACY})
    void everyTaskHasTheClientsAttemptsAndOutcome(String fixture) {
        var expected = Fixtures.expected(fixture);
        try (var datastore = Datastore.open(Fixtures.root(fixture).toString())) {
            for (var run : datastore.flow("IrisFlow").runs()) {
                var steps = expected.path("runs").path(run.id()).path("steps");
                var visible = new ArrayList<String>();
                steps.fieldNames().forEachRemaining(name -> {
                    if (!name.startsWith("_")) {
                        visible.add(name);
                    }
                });
                assertThat(run.steps().stream().map(Step::name).toList()).containsExactlyInAnyOrderElementsOf(visible);
                for (var step : run.steps()) {
                    var tasks = steps.path(step.name()).path("tasks");
                    assertThat(step.tasks()).hasSize(tasks.size());
                    for (var task : step.tasks()) {
                        var want = tasks.path(task.id());
                        var where = task.pathspec();
                        assertThat(task.attempts()).as(where).isEqualTo(ints(want.path("attempts_on_disk")));
                        assertThat(task.currentAttempt().orElse(null))
                                .as(where)
                                .isEqualTo(
                                        want.path("current_attempt").isNull()
                                                ? null
                                                : want.path("current_attempt").asInt());
                        assertThat(task.successful())
                                .as(where)
                                .isEqualTo(want.path("successful").asBoolean());
                        assertThat(task.finished())
                                .as(where)
                                .isEqualTo(want.path("finished").asBoolean());
                    }
                }
            }
        }
    }

    @Test
    void aTagNarrowsTheLatestSuccessfulRun() {
        try (var datastore = Datastore.open(Fixtures.root(Fixtures.IRIS).toString())) {
            var flow = datastore.flow("IrisFlow");

            assertThat(flow.latestSuccessfulRun("iris-v1")).map(Run::id).hasValue("1795691848256588");
            assertThat(flow.latestSuccessfulRun("iris-broken")).isEmpty();
        }
    }

    @Test
    void metaflowsOwnTagsNarrowRunsTooAsItsClientFiltersThem() {
        try (var datastore = Datastore.open(Fixtures.root(Fixtures.IRIS).toString())) {
            var flow = datastore.flow("IrisFlow");

            assertThat(flow.latestSuccessfulRun("user:ds")).map(Run::id).hasValue(LATEST_SUCCESSFUL);
            assertThat(flow.runs("runtime:dev")).extracting(Run::id).contains(LATEST_SUCCESSFUL);
            assertThat(flow.latestSuccessfulRun("user:nobody")).isEmpty();
        }
    }

    @Test
    void aPlusInATagOfAReferenceIsAPlus() {
        assertThat(MetaflowRef.parse("metaflow://IrisFlow/latest/end/model?tag=v1+rc")
                        .tag())
                .isEqualTo("v1+rc");
        assertThat(MetaflowRef.parse("metaflow://IrisFlow/latest/end/model?tag=v1%20rc")
                        .tag())
                .isEqualTo("v1 rc");
    }

    @Test
    void aNewerRunKilledBeforeItsParametersTaskDoesNotHideTheLatestSuccessfulOne(@TempDir Path dir) throws Exception {
        var root = Fixtures.copy(Fixtures.IRIS, dir);
        // What Metaflow's local metadata writes as soon as a run has its id, before its _parameters task exists.
        var meta = Files.createDirectories(root.resolve(".metaflow/IrisFlow/1795691999000000/_meta"));
        Files.writeString(
                meta.resolve("_self.json"),
                "{\"run_number\": \"1795691999000000\", \"flow_id\": \"IrisFlow\", \"user_name\": \"ds\","
                        + " \"tags\": [], \"system_tags\": [\"user:ds\"], \"ts_epoch\": 1795691999001}");

        try (var datastore = Datastore.open(root.toString())) {
            var flow = datastore.flow("IrisFlow");

            assertThat(flow.latestRun().id()).isEqualTo("1795691999000000");
            assertThat(flow.latestRun().successful()).isFalse();
            assertThat(flow.latestSuccessfulRun()).map(Run::id).hasValue(LATEST_SUCCESSFUL);
        }
    }

    @Test
    void aTaskWhoseFirstAttemptNeverStartedIsReadFromItsLaterOne(@TempDir Path dir) throws Exception {
        var root = Fixtures.copy(Fixtures.IRIS, dir);
        // A platform's retry: attempt 0 never started, so its files are all attempt 1's.
        var task = root.resolve(".metaflow/IrisFlow/" + LATEST_SUCCESSFUL + "/end/3");
        try (var files = Files.list(task)) {
            for (var file : files.filter(f -> f.getFileName().toString().startsWith("0."))
                    .toList()) {
                Files.move(
                        file, task.resolve("1." + file.getFileName().toString().substring(2)));
            }
        }

        try (var datastore = Datastore.open(root.toString())) {
            var flow = datastore.flow("IrisFlow");
            var end = flow.run(LATEST_SUCCESSFUL).step("end").task();

            assertThat(end.attempts()).containsExactly(1);
            assertThat(end.currentAttempt()).hasValue(1);
            assertThat(flow.latestSuccessfulRun()).map(Run::id).hasValue(LATEST_SUCCESSFUL);
            assertThat(end.artifact("threshold").value()).isEqualTo(0.65);
        }
    }

    @Test
    void aBlobThatInflatesPastItsRecordedSizeIsDamagedAndNeverHeldWhole(@TempDir Path dir) throws Exception {
        var root = Fixtures.copy(Fixtures.IRIS, dir);
        // 64 MiB of zeros in 64 KiB of gzip, where the task recorded a pickle of a few bytes.
        var bomb = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(bomb)) {
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gzip.write(zeros);
            }
        }
        var sha = shaOf(root, "threshold");
        Files.write(blobPath(root, sha), bomb.toByteArray());

        try (var datastore = Datastore.open(root.toString())) {
            var artifact = datastore.flow("IrisFlow").run(LATEST_SUCCESSFUL).artifact("end", "threshold");
            assertThat(artifact.size()).isLessThan(100);
            assertThatThrownBy(artifact::value)
                    .isInstanceOf(CorruptArtifactException.class)
                    .hasMessageContaining("inflates past the " + artifact.size() + " bytes its task recorded");
        }
    }

    @Test
    void artifactsOfTheLatestSuccessfulRunAreReadAsJavaValues() {
        try (var datastore = Datastore.open(Fixtures.root(Fixtures.IRIS).toString())) {
            var run = datastore.flow("IrisFlow").latestSuccessfulRun().orElseThrow();

            assertThat(run.artifact("end", "class_names").asList(String.class))
                    .containsExactly("setosa", "versicolor", "virginica");
            assertThat(run.artifact("end", "threshold").value()).isEqualTo(0.65);
            assertThat(run.artifact("end", "n_train").value()).isEqualTo(105L);
            assertThat(run.artifact("end", "model_onnx").bytes()).hasSize(328);
            var metrics = run.artifact("end", "metrics").as(Map.class);
            assertThat(metrics.get("test_accuracy")).isEqualTo(0.9777777777777777);
        }
    }

    @Test
    void theDatastoreMayBeNamedByItsParentOrByTheMetaflowFolderItself() {
        try (var byParent = Datastore.open(Fixtures.root(Fixtures.IRIS).toString());
                var byFolder = Datastore.open(
                        Fixtures.root(Fixtures.IRIS).resolve(".metaflow").toString())) {
            assertThat(byParent.flows()).containsExactly("IrisFlow");
            assertThat(byFolder.flows()).containsExactly("IrisFlow");
        }
    }

    @Test
    void aPythonOnlyObjectFailsNamingTheArtifactAndItsPythonType() {
        try (var datastore = Datastore.open(Fixtures.root(Fixtures.IRIS).toString())) {
            var artifact = datastore.flow("IrisFlow").run(LATEST_SUCCESSFUL).artifact("end", "sk_model");

            assertThatThrownBy(artifact::value)
                    .isInstanceOf(UnreadableArtifactException.class)
                    .hasMessageContaining("IrisFlow/" + LATEST_SUCCESSFUL + "/end/3/sk_model")
                    .hasMessageContaining("sklearn.linear_model._logistic.LogisticRegression")
                    .hasMessageContaining("cannot be read on the JVM");
        }
    }

    @Test
    void aMissingArtifactFailsListingTheAvailableOnes() {
        try (var datastore = Datastore.open(Fixtures.root(Fixtures.IRIS).toString())) {
            var task = datastore
                    .flow("IrisFlow")
                    .run(LATEST_SUCCESSFUL)
                    .step("end")
                    .task();

            assertThatThrownBy(() -> task.artifact("modle_onnx"))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("'modle_onnx'")
                    .hasMessageContaining("model_onnx")
                    .hasMessageContaining("class_names");
        }
    }

    @Test
    void missingFlowsRunsAndStepsFailListingWhatThereIs() {
        try (var datastore = Datastore.open(Fixtures.root(Fixtures.IRIS).toString())) {
            assertThatThrownBy(() -> datastore.flow("IrissFlow"))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("IrisFlow");
            var flow = datastore.flow("IrisFlow");
            assertThatThrownBy(() -> flow.run("42"))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining(LATEST_SUCCESSFUL);
            assertThatThrownBy(() -> flow.run(LATEST_SUCCESSFUL).step("trian"))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("train");
        }
    }

    @Test
    void aFolderWithoutADatastoreIsExplained(@TempDir Path empty) {
        assertThatThrownBy(() -> Datastore.open(empty.toString()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no .metaflow folder")
                .hasMessageContaining(Datastore.LOCAL_ROOT_VARIABLE);
    }

    @Test
    void aDamagedBlobFailsSayingItsHashDoesNotMatch(@TempDir Path dir) throws Exception {
        var root = Fixtures.copy(Fixtures.IRIS, dir);
        var sha = shaOf(root, "threshold");
        var blob = blobPath(root, sha);
        var other = blobPath(root, shaOf(root, "seed"));
        Files.copy(other, blob, StandardCopyOption.REPLACE_EXISTING); // valid gzip, wrong content

        try (var datastore = Datastore.open(root.toString())) {
            var artifact = datastore.flow("IrisFlow").run(LATEST_SUCCESSFUL).artifact("end", "threshold");
            assertThatThrownBy(artifact::value)
                    .isInstanceOf(CorruptArtifactException.class)
                    .hasMessageContaining("damaged")
                    .hasMessageContaining(sha);
        }
    }

    @Test
    void aBlobThatIsNotGzipFailsSayingSo(@TempDir Path dir) throws Exception {
        var root = Fixtures.copy(Fixtures.IRIS, dir);
        Files.writeString(blobPath(root, shaOf(root, "threshold")), "not gzip at all");

        try (var datastore = Datastore.open(root.toString())) {
            var artifact = datastore.flow("IrisFlow").run(LATEST_SUCCESSFUL).artifact("end", "threshold");
            assertThatThrownBy(artifact::value)
                    .isInstanceOf(CorruptArtifactException.class)
                    .hasMessageContaining("not valid gzip");
        }
    }

    @Test
    void aMissingBlobFailsSayingItIsMissing(@TempDir Path dir) throws Exception {
        var root = Fixtures.copy(Fixtures.IRIS, dir);
        Files.delete(blobPath(root, shaOf(root, "threshold")));

        try (var datastore = Datastore.open(root.toString())) {
            var artifact = datastore.flow("IrisFlow").run(LATEST_SUCCESSFUL).artifact("end", "threshold");
            assertThatThrownBy(artifact::value)
                    .isInstanceOf(CorruptArtifactException.class)
                    .hasMessageContaining("missing");
        }
    }

    @Test
    void anUnknownEncodingFailsNamingIt(@TempDir Path dir) throws Exception {
        var root = Fixtures.copy(Fixtures.IRIS, dir);
        var dataJson = root.resolve(".metaflow/IrisFlow/" + LATEST_SUCCESSFUL + "/end/3/0.data.json");
        Files.writeString(
                dataJson,
                Files.readString(dataJson).replace("\"encoding\": \"pickle-v4\"", "\"encoding\": \"arrow-v1\""));

        try (var datastore = Datastore.open(root.toString())) {
            var artifact = datastore.flow("IrisFlow").run(LATEST_SUCCESSFUL).artifact("end", "threshold");
            assertThatThrownBy(artifact::value)
                    .isInstanceOf(UnreadableArtifactException.class)
                    .hasMessageContaining("'arrow-v1'");
        }
    }

    @Test
    void anArtifactPickledWithAnOutOfBandBufferSaysWhyItCannotBeRead(@TempDir Path dir) {
        var root = Fixtures.copy(Fixtures.IRIS, dir);
        // pickle.dumps(pickle.PickleBuffer(b"abc"), protocol=5, buffer_callback=buffers.append)
        Fixtures.plant(root, "threshold", HexFormat.of().parseHex("800597982e"));

        try (var datastore = Datastore.open(root.toString())) {
            var artifact = datastore.flow("IrisFlow").run(LATEST_SUCCESSFUL).artifact("end", "threshold");
            assertThatThrownBy(artifact::value)
                    .isInstanceOf(UnreadableArtifactException.class)
                    .hasMessageContaining("artifact IrisFlow/" + LATEST_SUCCESSFUL + "/end/3/threshold")
                    .hasMessageContaining("out-of-band buffer (NEXT_BUFFER, pickle protocol 5)")
                    .hasMessageContaining("not in Metaflow artifacts");
        }
    }

    @Test
    void blobsAreCachedByHash(@TempDir Path dir) throws Exception {
        var root = Fixtures.copy(Fixtures.IRIS, dir);
        try (var datastore = Datastore.open(root.toString())) {
            var artifact = datastore.flow("IrisFlow").run(LATEST_SUCCESSFUL).artifact("end", "class_names");
            var first = artifact.value();
            Files.delete(blobPath(root, artifact.sha()));

            assertThat(artifact.value()).isEqualTo(first);
        }
    }

    private static String shaOf(Path root, String artifact) throws Exception {
        var json = new ObjectMapper()
                .readTree(root.resolve(".metaflow/IrisFlow/" + LATEST_SUCCESSFUL + "/end/3/0.data.json")
                        .toFile());
        return json.path("objects").path(artifact).asText();
    }

    private static Path blobPath(Path root, String sha) {
        return root.resolve(".metaflow/IrisFlow/data/" + sha.substring(0, 2) + "/" + sha);
    }

    private static List<String> texts(JsonNode array) {
        var out = new ArrayList<String>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Integer> ints(JsonNode array) {
        var out = new ArrayList<Integer>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
