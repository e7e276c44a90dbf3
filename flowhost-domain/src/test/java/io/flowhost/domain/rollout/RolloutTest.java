package io.flowhost.domain.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RolloutTest {

    private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");
    private static final RolloutPlan PLAN = RolloutPlan.parse("10,50,100", Duration.ofMinutes(5));

    @Test
    void aHeldCanaryStartsSteppingAdvancesAndIsPromoted() {
        var held = Rollout.deployed(Variant.CANARY, new Split(10), null, 0, null, Guardrails.DEFAULTS, "alice", T0);
        assertThat(held.state()).isEqualTo(Rollout.State.HELD);

        var running = held.started(PLAN, Guardrails.DEFAULTS, "bob", T0.plusSeconds(60));
        var advanced = running.advanced(1, "flowhost", "healthy", T0.plusSeconds(400));
        var promoted = advanced.promoted("flowhost", "done", T0.plusSeconds(800));

        assertThat(running.state()).isEqualTo(Rollout.State.RUNNING);
        assertThat(advanced.split().percent()).isEqualTo(50);
        assertThat(advanced.since()).isEqualTo(T0.plusSeconds(400));
        assertThat(promoted.state()).isEqualTo(Rollout.State.PROMOTED);
        assertThat(promoted.history())
                .extracting(Rollout.Step::action)
                .containsExactly("deploy", "start", "advance", "promote");
        assertThat(promoted.history().get(1).reason()).isEqualTo("stepping by 10,50,100 %, 5m each");
    }

    @Test
    void aFinishedRolloutMovesNoMore() {
        var rolledBack = Rollout.deployed(Variant.SHADOW, new Split(20), null, 0.1, null, null, "alice", T0)
                .rolledBack("flowhost", "errors", T0.plusSeconds(5));

        assertThat(rolledBack.state().live()).isFalse();
        assertThat(rolledBack.split().percent()).isZero();
        assertThatThrownBy(() -> rolledBack.promoted("bob", "late", T0.plusSeconds(9)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot promote a rollout that is rolled back");
    }

    @Test
    void aPrimaryIsNoRolloutAndTheHistoryKeepsItsNewestSteps() {
        assertThatThrownBy(() -> Rollout.deployed(Variant.PRIMARY, new Split(10), null, 0, null, null, "a", T0))
                .isInstanceOf(IllegalArgumentException.class);

        var r = Rollout.deployed(Variant.CANARY, new Split(10), null, 0, null, null, "alice", T0);
        for (int i = 0; i < 60; i++) {
            r = r.paused("bob", T0.plusSeconds(i));
        }
        assertThat(r.history()).hasSize(Rollout.MAX_HISTORY);
        assertThat(r.history().getLast().at()).isEqualTo(T0.plusSeconds(59));
    }
}
