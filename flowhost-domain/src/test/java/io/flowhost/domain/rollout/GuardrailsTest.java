package io.flowhost.domain.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.rollout.Guardrails.Verdict.Kind;
import org.junit.jupiter.api.Test;

class GuardrailsTest {

    private static final VersionStats BASELINE = new VersionStats(10_000, 20, 80.0); // 0.2 % errors, p99 80 ms

    @Test
    void aCanaryAsGoodAsItsBaselineIsHealthy() {
        var verdict = Guardrails.DEFAULTS.judge(BASELINE, new VersionStats(1_000, 3, 90.0));

        assertThat(verdict.kind()).isEqualTo(Kind.HEALTHY);
    }

    @Test
    void aCanaryIsNotJudgedOnTooFewCalls() {
        var verdict = Guardrails.DEFAULTS.judge(BASELINE, new VersionStats(49, 49, 5_000.0));

        assertThat(verdict.kind()).isEqualTo(Kind.TOO_FEW_CALLS);
        assertThat(verdict.reason()).isEqualTo("the canary answered 49 of the 50 calls it is judged on");
    }

    @Test
    void moreErrorsThanTheMarginAllowsIsWorseSayingByHowMuch() {
        var verdict = Guardrails.DEFAULTS.judge(BASELINE, new VersionStats(1_000, 13, 80.0));

        assertThat(verdict.kind()).isEqualTo(Kind.WORSE);
        assertThat(verdict.reason())
                .isEqualTo("the canary's error rate is 1.30% (13 of 1000 calls), the baseline's 0.20%: more than 1.00"
                        + " points above it");
    }

    @Test
    void errorsJustWithinTheMarginAreHealthy() {
        var verdict = Guardrails.DEFAULTS.judge(BASELINE, new VersionStats(1_000, 12, 80.0));

        assertThat(verdict.kind()).isEqualTo(Kind.HEALTHY);
    }

    @Test
    void aSlowerP99ThanTheRatioAllowsIsWorse() {
        var verdict = Guardrails.DEFAULTS.judge(BASELINE, new VersionStats(1_000, 0, 121.0));

        assertThat(verdict.kind()).isEqualTo(Kind.WORSE);
        assertThat(verdict.reason())
                .isEqualTo("the canary's p99 is 121.0 ms, the baseline's 80.0 ms: more than 1.50 times it");
        assertThat(Guardrails.DEFAULTS
                        .judge(BASELINE, new VersionStats(1_000, 0, 120.0))
                        .kind())
                .isEqualTo(Kind.HEALTHY);
    }

    @Test
    void withNoBaselineCallsOnlyTheCanarysOwnErrorsCount() {
        var idle = new VersionStats(0, 0, 0);

        assertThat(Guardrails.DEFAULTS
                        .judge(idle, new VersionStats(100, 0, 900.0))
                        .kind())
                .isEqualTo(Kind.HEALTHY);
        assertThat(Guardrails.DEFAULTS
                        .judge(idle, new VersionStats(100, 2, 10.0))
                        .kind())
                .isEqualTo(Kind.WORSE);
    }

    @Test
    void marginsThatMakeNoSenseAreRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> new Guardrails(-0.1, 1.5, 50))
                .hasMessage("max-error-rate-increase: -0.1 (expected: a share from 0 to 1, e.g. 0.01)");
        assertThatThrownBy(() -> new Guardrails(0.01, 0.9, 50))
                .hasMessage("max-p99-ratio: 0.9 (expected: 1 or more, e.g. 1.5)");
        assertThatThrownBy(() -> new Guardrails(0.01, 1.5, 0)).hasMessage("min-calls: 0 (expected: 1 or more)");
        assertThatThrownBy(() -> new VersionStats(5, 6, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
