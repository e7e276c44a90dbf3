package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.state.AlertStateStore;
import io.flowhost.state.StoredAlert;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every alert-state store does: keeps the alerts last saved, and only those, across a reopen. */
public abstract class AlertStateStoreContract {

    /** The store under test, opened in {@code place} (again, to see what it kept). */
    protected abstract AlertStateStore open(Path place);

    /** Closes a store this contract opened. */
    protected abstract void close(AlertStateStore store);

    @TempDir
    Path place;

    private AlertStateStore store;

    @BeforeEach
    void openStore() {
        store = open(place);
    }

    @AfterEach
    void closeStore() {
        close(store);
    }

    private static final Instant T = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void aNewStoreKeepsNoAlerts() {
        assertThat(store.load()).isEmpty();
    }

    @Test
    void theAlertsSavedComeBackAfterAReopenWithEveryField() {
        var firing = new StoredAlert("error-ratio", "iris", "firing", 0.25, T, T.plusSeconds(60), null);
        var pending = new StoredAlert("p99-latency", "echo", "pending", null, T.plusSeconds(5), null, null);
        store.save(List.of(firing, pending));

        close(store);
        store = open(place);

        assertThat(store.load()).containsExactlyInAnyOrder(firing, pending);
    }

    @Test
    void aSaveReplacesWhatWasKept() {
        store.save(List.of(new StoredAlert("error-ratio", "iris", "firing", 0.25, T, T, null)));
        var resolved = new StoredAlert("error-ratio", "iris", "resolved", 0.0, T, T, T.plusSeconds(90));

        store.save(List.of(resolved));

        assertThat(store.load()).containsExactly(resolved);
        store.save(List.of());
        assertThat(store.load()).isEmpty();
    }
}
