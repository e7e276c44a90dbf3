package io.flowhost.domain.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.rollout.Guardrails.Verdict;
import io.flowhost.domain.rollout.Guardrails.Verdict.Kind;
import io.flowhost.domain.rollout.RolloutPlan.Next.Action;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RolloutPlanTest {

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");
    private static final Verdict HEALTHY = new Verdict(Kind.HEALTHY, "the canary is within its guardrails");
    private static final Verdict FEW = new Verdict(Kind.TOO_FEW_CALLS, "the canary answered 3 of the 50 calls");
    private static final Verdict WORSE = new Verdict(Kind.WORSE, "the canary's p99 is 300.0 ms");

    private final RolloutPlan plan = RolloutPlan.parse("10,50,100", Duration.ofMinutes(5));

    @Test
    void aStepWaitsForItsBakeTimeThenAdvances() {
        var early = plan.next(0, T, T.plusSeconds(299), HEALTHY);
        var baked = plan.next(0, T, T.plusSeconds(300), HEALTHY);

        assertThat(early.action()).isEqualTo(Action.WAIT);
        assertThat(early.reason()).isEqualTo("baking until 2026-12-05T10:05:00Z");
        assertThat(baked.action()).isEqualTo(Action.ADVANCE);
        assertThat(baked.step()).isEqualTo(1);
        assertThat(baked.reason()).isEqualTo("healthy at 10% for 5m: on to 50%");
    }

    @Test
    void theLastStepBakedCompletesTheRollout() {
        var next = plan.next(2, T, T.plus(Duration.ofMinutes(5)), HEALTHY);

        assertThat(next.action()).isEqualTo(Action.COMPLETE);
        assertThat(next.step()).isEqualTo(2);
    }

    @Test
    void aWorseCanaryRollsBackAtOnceBakedOrNot() {
        var next = plan.next(1, T, T.plusSeconds(1), WORSE);

        assertThat(next.action()).isEqualTo(Action.ROLL_BACK);
        assertThat(next.reason()).isEqualTo("the canary's p99 is 300.0 ms");
    }

    @Test
    void aBakedStepWithTooFewCallsToJudgeWaitsSayingWhy() {
        var next = plan.next(0, T, T.plus(Duration.ofHours(1)), FEW);

        assertThat(next.action()).isEqualTo(Action.WAIT);
        assertThat(next.step()).isZero();
        assertThat(next.reason()).isEqualTo("the canary answered 3 of the 50 calls");
    }

    @Test
    void stepsMustRiseTo100() {
        assertThatThrownBy(() -> RolloutPlan.parse("10,50", Duration.ZERO))
                .hasMessage("steps: [10, 50] (expected: shares rising to 100)");
        assertThatThrownBy(() -> RolloutPlan.parse("50,10,100", Duration.ZERO))
                .hasMessage("steps: [50, 10, 100] (expected: each share above the one before)");
        assertThatThrownBy(() -> RolloutPlan.parse("10,x,100", Duration.ZERO))
                .hasMessageContaining("'x' is not a share of calls");
        assertThat(RolloutPlan.parse("100", Duration.ZERO).steps()).containsExactly(new Split(100));
    }
}
