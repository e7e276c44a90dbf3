package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.state.sqlite.SqliteStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server takes the lease of its state store, or is refused naming the holder; a dead local holder is taken over. */
class LeaderLeaseTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    @Test
    void aHolderIsGoneOnlyWhenItRanOnThisHostAndItsProcessIsNotAlive() {
        var holder = LeaderLease.holderName("gw-1", 4242, "http://127.0.0.1:8080");
        assertThat(holder).isEqualTo("gw-1/4242 http://127.0.0.1:8080");

        assertThat(LeaderLease.isGone(holder, "gw-1", pid -> false)).isTrue();
        assertThat(LeaderLease.isGone(holder, "gw-1", pid -> pid == 4242)).isFalse();
        assertThat(LeaderLease.isGone(holder, "gw-2", pid -> false))
                .as("another host")
                .isFalse();
        assertThat(LeaderLease.isGone("not a holder name", "gw-1", pid -> false))
                .isFalse();
    }

    @Test
    void aSecondServerIsRefusedNamingTheFirstWhileItRuns() {
        try (var a = SqliteStateStore.open(dataDir);
                var b = SqliteStateStore.open(dataDir)) {
            var first = LeaderLease.take(a.leadership(), "h/1 http://127.0.0.1:8080", "h", pid -> true, CLOCK);
            assertThat(first.term().number()).isEqualTo(1);

            assertThatThrownBy(() ->
                            LeaderLease.take(b.leadership(), "h/2 http://127.0.0.1:8081", "h", pid -> true, CLOCK))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another flowhost server runs on this data dir: h/1 http://127.0.0.1:8080")
                    .hasMessageContaining("--data-dir");
        }
    }

    @Test
    void aKilledServerOnThisHostIsTakenOverAtOnceInTheNextTerm() {
        try (var a = SqliteStateStore.open(dataDir);
                var b = SqliteStateStore.open(dataDir)) {
            LeaderLease.take(a.leadership(), "h/1 http://127.0.0.1:8080", "h", pid -> true, CLOCK);

            var next = LeaderLease.take(b.leadership(), "h/2 http://127.0.0.1:8081", "h", pid -> pid != 1, CLOCK);

            assertThat(next.term().number()).isEqualTo(2);
            assertThat(next.term().holder()).isEqualTo("h/2 http://127.0.0.1:8081");
        }
    }

    @Test
    void aReleasedLeaseIsTakenAtOnceAndTheOldHoldersRenewalThenFails() {
        try (var a = SqliteStateStore.open(dataDir);
                var b = SqliteStateStore.open(dataDir)) {
            var first = LeaderLease.take(a.leadership(), "h/1 x", "h", pid -> true, CLOCK);
            assertThat(first.renew()).isTrue();
            first.release();

            LeaderLease.take(b.leadership(), "h/2 y", "h", pid -> true, CLOCK);

            assertThat(first.renew()).as("deposed").isFalse();
        }
    }
}
