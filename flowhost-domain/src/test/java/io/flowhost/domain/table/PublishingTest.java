package io.flowhost.domain.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.flowhost.domain.table.TableVersion.State;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishingTest {

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    private static TableVersion v(int version, State state) {
        return TableVersion.begun("recs", version, KeyType.STRING, "http", "ci", T)
                .in(state, T);
    }

    @Test
    void publishingMovesCurrentToPreviousAndRetiresThePreviousWithTheNewCurrentLast() {
        var changed = Publishing.publish(
                List.of(v(3, State.BUILDING), v(2, State.CURRENT), v(1, State.PREVIOUS)), "recs", 3, T);

        assertThat(changed)
                .extracting(TableVersion::id, TableVersion::state)
                .containsExactly(
                        tuple("recs@1", State.RETIRED),
                        tuple("recs@2", State.PREVIOUS),
                        tuple("recs@3", State.CURRENT));
    }

    @Test
    void onlyAVersionBeingBuiltCanBePublished() {
        var versions = List.of(v(2, State.CURRENT), v(1, State.PREVIOUS));

        assertThatThrownBy(() -> Publishing.publish(versions, "recs", 2, T))
                .isInstanceOf(TableStateException.class)
                .hasMessageContaining("version 2 of table 'recs' is current, not being built");
        assertThatThrownBy(() -> Publishing.publish(versions, "recs", 9, T))
                .isInstanceOf(UnknownTableException.class)
                .hasMessageContaining("no version 9");
    }

    @Test
    void aRollbackSwapsCurrentAndPreviousAndNeedsAPrevious() {
        var changed = Publishing.rollback(List.of(v(2, State.CURRENT), v(1, State.PREVIOUS)), "recs", T);

        assertThat(changed).extracting(TableVersion::id).containsExactly("recs@2", "recs@1");
        assertThat(changed).extracting(TableVersion::state).containsExactly(State.PREVIOUS, State.CURRENT);
        assertThatThrownBy(() -> Publishing.rollback(List.of(v(1, State.CURRENT)), "recs", T))
                .isInstanceOf(TableStateException.class)
                .hasMessageContaining("no previous version");
    }

    @Test
    void integerKeysAreCanonicalAndOtherKeysRefusedSayingWhy() {
        assertThat(KeyType.INTEGER.canonical("t", "007")).isEqualTo("7");
        assertThat(KeyType.STRING.canonical("t", "007")).isEqualTo("007");
        assertThatThrownBy(() -> KeyType.INTEGER.canonical("t", "u17"))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage(
                        "table 't' has integer keys; 'u17' is not an integer (its keys are whole numbers such as 42)");
        assertThatThrownBy(() -> KeyType.STRING.canonical("t", "")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> TableVersion.checkName("Recs/../x")).isInstanceOf(InvalidKeyException.class);
    }
}
