package io.flowhost.tables;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.table.InvalidKeyException;
import io.flowhost.domain.table.KeyType;
import io.flowhost.domain.table.TableSourceException;
import io.flowhost.domain.table.TableStateException;
import io.flowhost.domain.table.TableVersion;
import io.flowhost.domain.table.TableVersion.State;
import io.flowhost.domain.table.UnknownTableException;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import io.flowhost.state.sqlite.SqliteStateStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables over real RocksDB files, a real SQLite state store and a real Metaflow datastore (IrisFlow's runs). */
class TablesTest {

    @TempDir
    Path dir;

    private SqliteStateStore state;
    private Path datastore;
    private Tables tables;

    @BeforeEach
    void open() throws Exception {
        state = SqliteStateStore.open(dir.resolve("data"));
        datastore = IrisDatastore.copy(dir.resolve("iris"));
        tables = tablesIn(dir.resolve("tables"));
    }

    private Tables tablesIn(Path where) {
        return new Tables(
                where,
                state.tables(),
                DatastoreOptions.of(datastore.toString()),
                () -> "http://127.0.0.1:9",
                8 << 20,
                InstantSource.system());
    }

    @AfterEach
    void close() {
        tables.close();
        state.close();
    }

    private static String text(Found found) {
        return found.value() == null ? null : new String(found.value(), UTF_8);
    }

    private static ByteArrayInputStream json(String text) {
        return new ByteArrayInputStream(text.getBytes(UTF_8));
    }

    @Test
    void aDictArtifactOfARealRunBecomesATableWithItsRunPinned() throws Exception {
        var v = tables.load("metrics", new LoadRequest("metaflow://IrisFlow/latest/end/metrics", null, null), "ci");

        assertThat(v.source()).isEqualTo("metaflow://IrisFlow/" + IrisDatastore.LATEST_SUCCESSFUL + "/end/metrics");
        assertThat(v.state()).isEqualTo(State.CURRENT);
        assertThat(v.rows()).isEqualTo(3);
        assertThat(v.keyType()).isEqualTo(KeyType.STRING);
        assertThat(text(tables.get("metrics", "test_accuracy"))).isEqualTo("0.9777777777777777");
        assertThat(tables.get("metrics", "recall").hit()).isFalse();
    }

    @Test
    void recordsAreKeyedByTheNamedFieldAndIntegerKeysAreCanonical() throws Exception {
        IrisDatastore.plant(
                datastore, "recs", "[{'user': i, 'items': [i * 2, i * 3], 'score': i / 4} for i in range(1, 1001)]");

        var v = tables.load("recs", new LoadRequest("metaflow://IrisFlow/latest/end/recs", "user", null), "ci");

        assertThat(v.rows()).isEqualTo(1000);
        assertThat(v.keyType()).isEqualTo(KeyType.INTEGER);
        assertThat(v.source()).endsWith("/end/recs#key=user");
        assertThat(text(tables.get("recs", "007"))).isEqualTo("{\"user\":7,\"items\":[14,21],\"score\":1.75}");
        assertThat(tables.getAll("recs", List.of("1", "5000", "1000")))
                .extracting(TablesTest::text)
                .containsExactly(
                        "{\"user\":1,\"items\":[2,3],\"score\":0.25}",
                        null,
                        "{\"user\":1000,\"items\":[2000,3000],\"score\":250.0}");
        assertThatThrownBy(() -> tables.get("recs", "u7"))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("table 'recs' has integer keys");
    }

    @Test
    void jsonLinesComeFromATextArtifactOrAFileAndAValueFieldPicksTheValue() throws Exception {
        IrisDatastore.plant(datastore, "lines", "'{\"id\": \"a\", \"p\": 0.5}\\n{\"id\": \"b\", \"p\": 0.25}\\n'");
        var file =
                Files.writeString(dir.resolve("rows.jsonl"), "{\"id\":\"x\",\"p\":[1,2]}\n{\"id\":\"y\",\"p\":null}\n");

        tables.load("lines", new LoadRequest("metaflow://IrisFlow/latest/end/lines", "id", "p"), "ci");
        var fromFile = tables.load("file", new LoadRequest(file.toUri().toString(), "id", "p"), "ci");

        assertThat(text(tables.get("lines", "b"))).isEqualTo("0.25");
        assertThat(text(tables.get("file", "x"))).isEqualTo("[1,2]");
        assertThat(text(tables.get("file", "y"))).isEqualTo("null");
        assertThat(fromFile.source()).isEqualTo(file.toUri() + "#key=id&value=p");
    }

    @Test
    void aSourceOfTheWrongShapePublishesNothingAndSaysWhy() throws Exception {
        IrisDatastore.plant(datastore, "mixed", "{'a': 1, 2: 'b'}");
        IrisDatastore.plant(datastore, "keyless", "[{'user': 1}, {'name': 'x'}]");

        assertThatThrownBy(() ->
                        tables.load("t", new LoadRequest("metaflow://IrisFlow/latest/end/threshold", null, null), "ci"))
                .isInstanceOf(TableSourceException.class)
                .hasMessageContaining("is a float: a table loads a dict (key → value), a list of records");
        assertThatThrownBy(() ->
                        tables.load("t", new LoadRequest("metaflow://IrisFlow/latest/end/mixed", null, null), "ci"))
                .isInstanceOf(TableSourceException.class)
                .hasMessageContaining("is an integer but the table's keys are strings");
        assertThatThrownBy(() ->
                        tables.load("t", new LoadRequest("metaflow://IrisFlow/latest/end/keyless", "user", null), "ci"))
                .isInstanceOf(TableSourceException.class)
                .hasMessage("row 2 has no 'user' (the key field; name another with --key)");
        assertThatThrownBy(() -> tables.load("t", new LoadRequest("relative/rows.jsonl", null, null), "ci"))
                .isInstanceOf(TableSourceException.class)
                .hasMessageContaining("absolute path");

        assertThat(tables.versions("t")).extracting(TableVersion::state).containsOnly(State.FAILED);
        assertThatThrownBy(() -> tables.get("t", "a")).isInstanceOf(UnknownTableException.class);
        try (var left = Files.list(dir.resolve("tables/t"))) {
            assertThat(left).as("a failed version's files are deleted").isEmpty();
        }
    }

    @Test
    void rowsWrittenInBatchesArePublishedOnlyWhenAllHaveArrived() throws Exception {
        var v = tables.begin("prices", KeyType.INTEGER, "ci");
        assertThat(tables.put("prices", v.version(), json("{\"1\": {\"eur\": 9.5}, \"2\": {\"eur\": 3}}")))
                .isEqualTo(2);
        assertThatThrownBy(() -> tables.get("prices", "1"))
                .as("a version being built is not read")
                .isInstanceOf(UnknownTableException.class);

        assertThatThrownBy(() -> tables.publish("prices", v.version(), 3L))
                .isInstanceOf(TableStateException.class)
                .hasMessageContaining("unfinished: 2 of the 3 rows sent have arrived");
        assertThatThrownBy(() -> tables.put("prices", v.version(), json("{\"3\": 1, \"x\": 2}")))
                .as("a bad row fails its whole batch")
                .isInstanceOf(TableSourceException.class)
                .hasMessageContaining("key 'x'");
        tables.put("prices", v.version(), json("{\"03\": [1, {\"a\": null}]}"));
        var published = tables.publish("prices", v.version(), 3L);

        assertThat(published.rows()).isEqualTo(3);
        assertThat(text(tables.get("prices", "3"))).isEqualTo("[1,{\"a\":null}]");
        assertThatThrownBy(() -> tables.put("prices", v.version(), json("{\"4\": 1}")))
                .isInstanceOf(TableStateException.class)
                .hasMessageContaining("is current: a published version is read-only");
        assertThatThrownBy(() -> tables.publish("prices", 9, null)).isInstanceOf(UnknownTableException.class);
    }

    @Test
    void aRollbackServesThePreviousVersionAndOlderOnesAreDeleted() throws Exception {
        for (int n = 1; n <= 3; n++) {
            var v = tables.begin("t", KeyType.STRING, "ci");
            tables.put("t", v.version(), json("{\"k\": " + n + "}"));
            tables.publish("t", v.version(), null);
        }
        assertThat(text(tables.get("t", "k"))).isEqualTo("3");
        assertThat(Files.exists(dir.resolve("tables/t/1")))
                .as("two publishes later, version 1 is gone")
                .isFalse();

        tables.rollback("t");

        assertThat(text(tables.get("t", "k"))).isEqualTo("2");
        assertThat(tables.get("t", "k").version()).isEqualTo(2);
        assertThat(tables.drop("t")).isEqualTo(3);
        assertThatThrownBy(() -> tables.get("t", "k")).isInstanceOf(UnknownTableException.class);
        assertThat(Files.exists(dir.resolve("tables/t"))).isFalse();
    }

    @Test
    void anotherGatewayBuildsItsOwnCopyFromTheRecordedSourceAndARestartReopensItsFiles() throws Exception {
        IrisDatastore.plant(datastore, "recs", "[{'user': 'u%d' % i, 'items': [i]} for i in range(50)]");
        tables.load("recs", new LoadRequest("metaflow://IrisFlow/latest/end/recs", "user", "items"), "ci");
        var written = tables.begin("http-only", KeyType.STRING, "ci");
        tables.put("http-only", written.version(), json("{\"a\": 1}"));
        tables.publish("http-only", written.version(), null);

        try (var other = tablesIn(dir.resolve("other-gateway"))) {
            other.sync();
            assertThat(text(other.get("recs", "u42"))).isEqualTo("[42]");
            assertThatThrownBy(() -> other.get("http-only", "a"))
                    .as("rows written to a gateway that cannot be reached (port 9) are not copied")
                    .isInstanceOf(UnknownTableException.class);
        }
        tables.close();
        var marker = dir.resolve("tables/recs/1.done");
        var before = Files.getLastModifiedTime(marker);
        tables = tablesIn(dir.resolve("tables"));
        tables.sync();
        assertThat(text(tables.get("http-only", "a"))).isEqualTo("1");
        assertThat(text(tables.get("recs", "u7"))).isEqualTo("[7]");
        assertThat(Files.getLastModifiedTime(marker))
                .as("reopened, not rebuilt")
                .isEqualTo(before);
    }

    @Test
    void aVersionsRowsComeInPagesInKeyOrderEachStartingAfterTheLast() throws Exception {
        var v = tables.begin("t", KeyType.STRING, "ci");
        tables.put("t", v.version(), json("{\"e\":5,\"a\":1,\"d\":4,\"c\":3,\"b\":2}"));
        tables.publish("t", v.version(), null);

        var first = tables.page("t", 1, null, 2);
        var second = tables.page("t", 1, first.next(), 2);
        var last = tables.page("t", 1, second.next(), 2);

        assertThat(first.keys()).containsExactly("a", "b");
        assertThat(second.keys()).containsExactly("c", "d");
        assertThat(last.keys()).containsExactly("e");
        assertThat(last.next()).isNull();
        assertThat(new String(last.values().getFirst(), UTF_8)).isEqualTo("5");
        assertThatThrownBy(() -> tables.page("t", 7, null, 2)).isInstanceOf(UnknownTableException.class);
    }

    @Test
    void aVersionWhoseWriterWentQuietOrWhoseGatewayRestartedIsAbandonedNotLeftBuilding() throws Exception {
        var now = new AtomicReference<>(Instant.parse("2026-12-05T10:00:00Z"));
        InstantSource clock = now::get;
        var origin = "http://127.0.0.1:9";
        try (var here = new Tables(dir.resolve("clocked"), state.tables(), null, () -> origin, 8 << 20, clock)) {
            var quiet = here.begin("quiet", KeyType.STRING, "ci");
            here.put("quiet", quiet.version(), json("{\"a\": 1}"));
            now.set(now.get().plus(Tables.IDLE_WRITER).minusSeconds(1));
            var lost = here.begin("lost", KeyType.STRING, "ci");
            here.sync();
            assertThat(tables.versions("quiet").getFirst().state()).isEqualTo(State.BUILDING);

            now.set(now.get().plusSeconds(1));
            here.sync();
            assertThat(tables.versions("quiet").getFirst().failure()).isEqualTo("abandoned: no rows for 1 h");
            assertThat(lost.state()).isEqualTo(State.BUILDING);
        }
        now.set(now.get().plusSeconds(60));
        try (var restarted = new Tables(dir.resolve("clocked"), state.tables(), null, () -> origin, 8 << 20, clock)) {
            restarted.sync();
            assertThat(tables.versions("lost").getFirst().failure())
                    .isEqualTo("the gateway restarted while it was being written; write it again");
        }
    }
}
