package io.flowhost.state.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.state.Leadership;
import io.flowhost.state.Leadership.Term;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every leadership store does: one holder at a time, by a lease; the next holder only once it ended, in the
 * next term. Two servers are two stores opened on one place, as two processes would open it.
 */
public abstract class LeadershipContract {

    /** A store on {@code place}, as one server opens it. */
    protected abstract Leadership open(Path place);

    /** Closes a store this contract opened. */
    protected abstract void close(Leadership store);

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(10);

    @TempDir
    Path place;

    private final List<Leadership> opened = new ArrayList<>();

    private Leadership server() {
        var store = open(place);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(this::close);
    }

    @Test
    void theFirstToAskLeadsInTermOneAndNobodyLeadsBefore() {
        var a = server();
        assertThat(a.leader(T0)).isEmpty();

        assertThat(a.lead("a", LEASE, T0)).hasValue(new Term("a", 1, T0.plus(LEASE)));
        assertThat(a.leader(T0)).hasValue(new Term("a", 1, T0.plus(LEASE)));
    }

    @Test
    void anotherServerIsRefusedWhileTheLeaseRunsAndSeesWhoLeads() {
        var a = server();
        var b = server();
        a.lead("a", LEASE, T0);

        assertThat(b.lead("b", LEASE, T0.plusSeconds(9))).isEmpty();
        assertThat(b.leader(T0.plusSeconds(9)))
                .hasValueSatisfying(t -> assertThat(t.holder()).isEqualTo("a"));
    }

    @Test
    void renewingKeepsTheTermAndMovesTheLeaseOn() {
        var a = server();
        var b = server();
        a.lead("a", LEASE, T0);

        assertThat(a.lead("a", LEASE, T0.plusSeconds(8))).hasValue(new Term("a", 1, T0.plusSeconds(18)));
        assertThat(b.lead("b", LEASE, T0.plusSeconds(12))).isEmpty();
    }

    @Test
    void onceTheLeaseEndsAnotherLeadsInTheNextTermAndTheOldHolderIsRefused() {
        var a = server();
        var b = server();
        a.lead("a", LEASE, T0);

        assertThat(b.lead("b", LEASE, T0.plus(LEASE)))
                .hasValue(new Term("b", 2, T0.plus(LEASE).plus(LEASE)));
        assertThat(a.lead("a", LEASE, T0.plusSeconds(11))).isEmpty();
        assertThat(a.leader(T0.plusSeconds(11)))
                .hasValueSatisfying(t -> assertThat(t.number()).isEqualTo(2));
    }

    @Test
    void aHolderWhoseLeaseLapsedUnchallengedTakesItBackInTheSameTerm() {
        var a = server();
        a.lead("a", LEASE, T0);

        assertThat(a.lead("a", LEASE, T0.plusSeconds(30))).hasValue(new Term("a", 1, T0.plusSeconds(40)));
    }

    @Test
    void resigningLetsAnotherLeadAtOnce() {
        var a = server();
        var b = server();
        a.lead("a", LEASE, T0);

        a.resign("a");
        b.resign("b"); // not the holder: changes nothing

        assertThat(b.leader(T0.plusSeconds(1))).isEmpty();
        assertThat(b.lead("b", LEASE, T0.plusSeconds(1)))
                .hasValueSatisfying(t -> assertThat(t.number()).isEqualTo(2));
    }

    @Test
    void theLeaseIsKeptInTheStoreAcrossAReopen() {
        var a = server();
        a.lead("a", LEASE, T0);
        close(a);
        opened.remove(a);

        assertThat(server().leader(T0.plusSeconds(5))).hasValue(new Term("a", 1, T0.plus(LEASE)));
    }
}
