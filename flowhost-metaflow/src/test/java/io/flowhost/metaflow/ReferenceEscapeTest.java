package io.flowhost.metaflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.metaflow.error.OutsideDatastoreException;
import io.flowhost.metaflow.internal.LocalStorage;
import io.flowhost.metaflow.internal.S3Storage;
import io.flowhost.metaflow.internal.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * No {@code metaflow://} reference, and no path a datastore records, reads or lists anything outside the
 * datastore's root: references are refused when parsed, each storage refuses a path that normalizes to outside
 * its root, and neither refusal names anything that is there.
 */
class ReferenceEscapeTest {

    private static final List<String> PARTS =
            List.of("the flow name", "the run id", "the step name", "the artifact name");

    @Test
    void theProbesReferenceIsRefusedWhenParsedNamingItsFirstBadPart() {
        assertThatThrownBy(() -> MetaflowRef.parse("metaflow://../../x/y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'metaflow://../../x/y': ")
                .hasMessageContaining("the flow name '..' is not allowed")
                .hasMessageContaining(Names.RULE);
    }

    static Stream<Arguments> badParts() {
        var bad = List.of(
                List.of("dot", ".", "'.'"),
                List.of("dot dot", "..", "'..'"),
                List.of("empty", "", "''"),
                List.of("blank", " ", "' '"),
                List.of("backslashes", "..\\..\\etc", "'..\\..\\etc'"),
                List.of("NUL", "model\u0000", "'model\\u0000'"),
                List.of("newline", "a\nb", "'a\\u000ab'"),
                List.of("terminal escape", "\u001b[2J", "'\\u001b[2J'"));
        var cases = new ArrayList<Arguments>();
        for (int part = 0; part < PARTS.size(); part++) {
            for (var kind : bad) {
                var parts = new ArrayList<>(List.of("IrisFlow", "latest", "end", "model_onnx"));
                parts.set(part, kind.get(1));
                cases.add(Arguments.of(
                        kind.get(0), PARTS.get(part), MetaflowRef.SCHEME + String.join("/", parts), kind.get(2)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("badParts")
    void parsingRefusesEveryPartThatIsNotOnePlainNameNamingItAndWhatIsAllowed(
            String kind, String part, String reference, String quoted) {
        assertThatThrownBy(() -> MetaflowRef.parse(reference))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(part + " " + quoted + " is not allowed")
                .hasMessageContaining(Names.RULE)
                .satisfies(e -> assertThat(e.getMessage().chars().noneMatch(Character::isISOControl))
                        .as("the message shows control characters escaped: %s", e.getMessage())
                        .isTrue());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void aSeparatorInsideAPartIsRefusedWhenAReferenceIsBuiltDirectly(int part) {
        var parts = new ArrayList<>(List.of("IrisFlow", "latest", "end", "model_onnx"));
        parts.set(part, "a/../../b");

        assertThatThrownBy(() -> new MetaflowRef(parts.get(0), parts.get(1), parts.get(2), parts.get(3), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(PARTS.get(part) + " 'a/../../b' is not allowed (it holds a path separator)");
    }

    @Test
    void aTagWithAControlCharacterIsRefused() {
        assertThatThrownBy(() -> MetaflowRef.parse("metaflow://IrisFlow/latest/end/model_onnx?tag=v1%0Aforged"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the tag 'v1\\u000aforged' is not allowed");
    }

    @Test
    void plainNamesStillParse() {
        var ref = MetaflowRef.parse("metaflow://IrisFlow/argo-iris.v2-7f3c/end/model_onnx");
        var tagged = MetaflowRef.parse("metaflow://IrisFlow/latest/end?tag=iris%20v1");

        assertThat(ref).isEqualTo(new MetaflowRef("IrisFlow", "argo-iris.v2-7f3c", "end", "model_onnx", null));
        assertThat(tagged).isEqualTo(new MetaflowRef("IrisFlow", "latest", "end", null, "iris v1"));
    }

    @Test
    void datastoreLookupsRefuseNamesThatAreNotPlainBeforeListingAnything() {
        try (var datastore = Datastore.open(Fixtures.root(Fixtures.IRIS).toString())) {
            var run = datastore.flow("IrisFlow").run(Fixtures.IRIS_LATEST_SUCCESSFUL);

            assertThatThrownBy(() -> datastore.flow(".."))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the flow name '..'");
            assertThatThrownBy(() -> datastore.flow("IrisFlow").run(".."))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the run id '..'");
            assertThatThrownBy(() -> run.step("../.."))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("the step name '../..'");
        }
    }

    /** A datastore at {@code <dir>/ds/.metaflow} with a file and a folder beside it, outside its root. */
    private static Path datastoreWithNeighbours(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("ds/.metaflow/IrisFlow/1/end/1"));
        Files.writeString(dir.resolve("ds/.metaflow/IrisFlow/1/end/1/0.data.json"), "{}");
        Files.createDirectories(dir.resolve("hidden-neighbour"));
        Files.writeString(dir.resolve("secret.txt"), "do not show");
        return dir.resolve("ds/.metaflow");
    }

    /** Each storage operation on each path. */
    private static Stream<Arguments> everyOperationOn(List<String> paths) {
        var operations = List.<Arguments>of(
                Arguments.of("list", (Operation) Storage::list),
                Arguments.of("read", (Operation) Storage::read),
                Arguments.of("readBlob", (Operation) Storage::readBlob),
                Arguments.of("exists", (Operation) Storage::exists));
        return operations.stream()
                .flatMap(op -> paths.stream().map(path -> Arguments.of(op.get()[0], op.get()[1], path)));
    }

    static Stream<Arguments> localEscapes() {
        return everyOperationOn(
                List.of("..", "../..", "../../secret.txt", "IrisFlow/../../../secret.txt", "/etc", "/"));
    }

    static Stream<Arguments> s3Escapes() {
        return everyOperationOn(List.of("..", "../..", "../../x", "IrisFlow/../../..", "IrisFlow/./../../x"));
    }

    interface Operation {
        Object apply(Storage storage, String path);
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("localEscapes")
    void theLocalStorageRefusesEveryPathThatLeadsOutsideItsRootSayingNothingOfWhatIsThere(
            String name, Operation operation, String path, @TempDir Path dir) throws Exception {
        var storage = new LocalStorage(datastoreWithNeighbours(dir));

        assertThatThrownBy(() -> operation.apply(storage, path))
                .isInstanceOf(OutsideDatastoreException.class)
                .hasMessageContaining("'" + path + "'")
                .hasMessageContaining("leads outside the datastore " + storage.describe())
                .hasMessageNotContaining("hidden-neighbour")
                .hasMessageNotContaining("do not show");
    }

    @Test
    void aLocalPathThatStepsOutOfAFolderAndBackInIsRead(@TempDir Path dir) throws Exception {
        var storage = new LocalStorage(datastoreWithNeighbours(dir));

        assertThat(storage.list("IrisFlow/../IrisFlow").directories()).containsExactly("1");
        assertThat(storage.read("IrisFlow/1/end/./1/0.data.json")).isPresent();
    }

    @Test
    void aBlobHashRecordedInTheDatastoreCannotReadOutsideIt(@TempDir Path dir) throws Exception {
        var root = Fixtures.copy(Fixtures.IRIS, dir.resolve("ds"));
        // Blobs live at <flow>/data/<sha[0:2]>/<sha>: this "hash" climbs from there to <dir>/outside/blob.
        Files.createDirectories(dir.resolve("outside"));
        Files.copy(
                root.resolve(".metaflow/IrisFlow/data/32/32fed30db38074a3a975e24e590f3d29b0e9b3f5"),
                dir.resolve("outside/blob"));
        Fixtures.pointAt(root, "threshold", "../../../outside/blob");

        try (var datastore = Datastore.open(root.toString())) {
            var artifact = datastore
                    .flow("IrisFlow")
                    .run(Fixtures.IRIS_LATEST_SUCCESSFUL)
                    .artifact("end", "threshold");

            assertThatThrownBy(artifact::value)
                    .isInstanceOf(OutsideDatastoreException.class)
                    .hasMessageContaining("leads outside the datastore " + datastore.describe());
        }
    }

    @Nested
    @TestInstance(Lifecycle.PER_CLASS)
    class InS3 {

        private static final String BUCKET = "mf-fixture";
        private MotoS3 moto;

        @BeforeAll
        void start() throws Exception {
            moto = MotoS3.start();
            moto.load(S3DatastoreTest.DUMP);
            try (var s3 = moto.client()) {
                // Beside the datastore's prefix (some/prefix), in the same bucket.
                s3.putObject(b -> b.bucket(BUCKET).key("hidden-neighbour/secret.txt"), RequestBody.fromString("x"));
            }
        }

        @AfterAll
        void stop() {
            moto.close();
        }

        private void withStorage(Consumer<S3Storage> use) {
            try (var storage = S3Storage.open(BUCKET, "some/prefix", moto.endpoint())) {
                use.accept(storage);
            }
        }

        @ParameterizedTest(name = "{0} {2}")
        @MethodSource("io.flowhost.metaflow.ReferenceEscapeTest#s3Escapes")
        void theS3StorageRefusesEveryKeyThatLeadsOutsideItsPrefixSayingNothingOfWhatIsThere(
                String name, Operation operation, String path) {
            withStorage(storage -> assertThatThrownBy(() -> operation.apply(storage, path))
                    .isInstanceOf(OutsideDatastoreException.class)
                    .hasMessageContaining("leads outside the datastore s3://mf-fixture/some/prefix")
                    .hasMessageNotContaining("hidden-neighbour"));
        }

        @Test
        void aBackslashCountsAsASeparatorForS3() {
            withStorage(storage -> assertThatThrownBy(() -> storage.read("IrisFlow\\..\\..\\..\\hidden-neighbour"))
                    .isInstanceOf(OutsideDatastoreException.class));
        }

        @Test
        void keysUnderThePrefixAreStillRead() {
            withStorage(storage -> {
                assertThat(storage.list("").directories()).containsExactly("IrisFlow");
                assertThat(storage.exists("IrisFlow/" + S3DatastoreTest.RUN + "/end/3/0.data.json"))
                        .isTrue();
            });
        }

        @Test
        void anS3DatastoreRefusesAFlowNamedDotDot() {
            try (var datastore = Datastore.open(
                    new Datastore.DatastoreOptions("s3://mf-fixture/some/prefix", moto.endpoint(), null))) {
                assertThatThrownBy(() -> datastore.flow(".."))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("the flow name '..'");
            }
        }
    }
}
