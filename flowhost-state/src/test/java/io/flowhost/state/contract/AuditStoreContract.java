package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.audit.AuditEvent;
import io.flowhost.state.AuditStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every audit store does: keeps every field, reads back by time oldest first, the newest when limited. */
public abstract class AuditStoreContract {

    /** The store under test, opened in {@code place}. */
    protected abstract AuditStore open(Path place);

    /** Closes a store this contract opened. */
    protected abstract void close(AuditStore store);

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path place;

    private AuditStore store;

    @BeforeEach
    void openStore() {
        store = open(place);
    }

    @AfterEach
    void closeStore() {
        close(store);
    }

    private static AuditEvent event(int second, String action) {
        return new AuditEvent(T.plusSeconds(second), "ci", "10.0.0.7", action, "echo-v" + second, "ok", 201, null);
    }

    @Test
    void everyFieldComesBackAndEventsComeOldestFirst() {
        var refused = new AuditEvent(
                T.plusSeconds(2), null, "10.0.0.9", "deploy", "/v1/deployments", "refused", 401, "no token");
        store.add(List.of(event(1, "deploy"), refused));
        store.add(List.of(event(3, "undeploy")));

        assertThat(store.since(T, 100)).containsExactly(event(1, "deploy"), refused, event(3, "undeploy"));
        assertThat(store.since(T.plusSeconds(2), 100)).containsExactly(refused, event(3, "undeploy"));
    }

    @Test
    void aLimitKeepsTheNewestAndPruningForgetsTheOldest() {
        store.add(List.of(event(1, "deploy"), event(2, "deploy"), event(3, "deploy")));

        assertThat(store.since(T, 2)).containsExactly(event(2, "deploy"), event(3, "deploy"));
        assertThat(store.prune(T.plusSeconds(2))).isEqualTo(1);
        assertThat(store.since(T, 100)).containsExactly(event(2, "deploy"), event(3, "deploy"));
    }
}
