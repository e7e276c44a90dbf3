package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.table.KeyType;
import io.flowhost.domain.table.Publishing;
import io.flowhost.domain.table.TableVersion;
import io.flowhost.domain.table.TableVersion.State;
import io.flowhost.state.StoreException;
import io.flowhost.state.TableStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every table store does: numbers versions per table, keeps every field, publishes and rolls back as
 * {@link Publishing} says, and never holds two current versions of one table.
 */
public abstract class TableStoreContract {

    /** The store under test, opened in {@code place}. */
    protected abstract TableStore open(Path place);

    /** Closes a store this contract opened. */
    protected abstract void close(TableStore store);

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path place;

    private TableStore store;

    @BeforeEach
    void openStore() {
        store = open(place);
    }

    @AfterEach
    void closeStore() {
        close(store);
    }

    private void publish(String table, int version, Instant at) {
        store.update(Publishing.publish(store.versions(table), table, version, at));
    }

    @Test
    void versionsAreNumberedPerTableAndKeepEveryField() {
        var first = store.begin("recs", KeyType.STRING, "metaflow://RecsFlow/17/end/scores", "ci", T);
        var other = store.begin("prices", KeyType.INTEGER, "http", null, T);
        var second = store.begin("recs", KeyType.STRING, "http", "ci", T.plusSeconds(1));

        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(other.version()).isEqualTo(1);
        store.update(List.of(first.built(1_000_000, 48_000_000, 2_345)));

        assertThat(store.versions("recs")).containsExactly(second, first.built(1_000_000, 48_000_000, 2_345));
        assertThat(store.versions("none")).isEmpty();
    }

    @Test
    void publishingKeepsOnePreviousAndRetiresTheRest() {
        for (int v = 1; v <= 3; v++) {
            store.begin("recs", KeyType.STRING, "http", "ci", T);
            publish("recs", v, T.plusSeconds(v));
        }

        var versions = store.versions("recs");
        assertThat(versions)
                .extracting(TableVersion::state)
                .containsExactly(State.CURRENT, State.PREVIOUS, State.RETIRED);
        assertThat(versions.getFirst().publishedAt()).isEqualTo(T.plusSeconds(3));
        assertThat(store.all()).extracting(TableVersion::id).containsExactly("recs@3", "recs@2");

        store.update(Publishing.rollback(store.versions("recs"), "recs", T.plusSeconds(9)));
        assertThat(store.versions("recs"))
                .extracting(TableVersion::state)
                .containsExactly(State.PREVIOUS, State.CURRENT, State.RETIRED);
        assertThat(store.versions("recs").get(1).publishedAt())
                .as("a rollback does not change when a version was first published")
                .isEqualTo(T.plusSeconds(2));
    }

    @Test
    void twoCurrentVersionsOfOneTableAreRefused() {
        var one = store.begin("recs", KeyType.STRING, "http", "ci", T);
        var two = store.begin("recs", KeyType.STRING, "http", "ci", T);
        store.update(List.of(one.in(State.CURRENT, T)));

        // as if a second gateway published its own version on a stale read, in the same moment
        assertThatThrownBy(() -> store.update(List.of(two.in(State.CURRENT, T))))
                .isInstanceOf(StoreException.class);

        assertThat(store.versions("recs"))
                .extracting(TableVersion::state)
                .containsExactly(State.BUILDING, State.CURRENT);
    }

    @Test
    void aFailureIsKeptWithItsReasonAndDroppingForgetsTheTable() {
        var v = store.begin("recs", KeyType.STRING, "metaflow://RecsFlow/17/end/scores", "ci", T);
        store.update(List.of(v.failed("row 3 has no key 'user'")));

        assertThat(store.versions("recs").getFirst().failure()).isEqualTo("row 3 has no key 'user'");
        assertThat(store.drop("recs")).isEqualTo(1);
        assertThat(store.versions("recs")).isEmpty();
        assertThat(store.begin("recs", KeyType.STRING, "http", "ci", T).version())
                .as("a dropped table starts again at 1")
                .isEqualTo(1);
    }
}
