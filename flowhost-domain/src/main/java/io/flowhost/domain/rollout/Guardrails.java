package io.flowhost.domain.rollout;

import java.util.Locale;

/**
 * When a canary is worse than the version it would replace, by the margins a rollout allows: its error rate more
 * than {@code maxErrorRateIncrease} above the baseline's, or its p99 latency more than {@code maxP99Ratio} times the
 * baseline's (and more than {@link #P99_NOISE_MILLIS} above it). Judged only once the canary has answered {@code minCalls} calls in the window, so that one unlucky
 * call among three does not roll a good model back.
 *
 * @param maxErrorRateIncrease how much higher the canary's error rate may be, e.g. 0.01 for one point
 * @param maxP99Ratio how many times the baseline's p99 the canary's may be, e.g. 1.5
 * @param minCalls calls the canary must have answered before it is judged
 */
public record Guardrails(double maxErrorRateIncrease, double maxP99Ratio, long minCalls) {

    /** One point more errors, half again the p99, judged after 50 calls. */
    public static final Guardrails DEFAULTS = new Guardrails(0.01, 1.5, 50);

    /**
     * A p99 this little above the baseline's is noise, whatever the ratio: 2 ms against 1 ms on a busy machine says
     * nothing about the model.
     */
    public static final double P99_NOISE_MILLIS = 5;

    public Guardrails {
        if (!(maxErrorRateIncrease >= 0 && maxErrorRateIncrease <= 1)) {
            throw new IllegalArgumentException(
                    "max-error-rate-increase: " + maxErrorRateIncrease + " (expected: a share from 0 to 1, e.g. 0.01)");
        }
        if (!(maxP99Ratio >= 1)) {
            throw new IllegalArgumentException("max-p99-ratio: " + maxP99Ratio + " (expected: 1 or more, e.g. 1.5)");
        }
        if (minCalls < 1) {
            throw new IllegalArgumentException("min-calls: " + minCalls + " (expected: 1 or more)");
        }
    }

    /** These guardrails without the latency one: for a version still warming up. */
    public Guardrails errorsOnly() {
        return new Guardrails(maxErrorRateIncrease, Double.POSITIVE_INFINITY, minCalls);
    }

    /** What the guardrails make of a canary beside its baseline over the same window. */
    public Verdict judge(VersionStats baseline, VersionStats canary) {
        if (canary.calls() < minCalls) {
            return new Verdict(
                    Verdict.Kind.TOO_FEW_CALLS,
                    "the canary answered " + canary.calls() + " of the " + minCalls + " calls it is judged on");
        }
        double errorsOver = canary.errorRate() - baseline.errorRate();
        if (errorsOver > maxErrorRateIncrease) {
            return new Verdict(
                    Verdict.Kind.WORSE,
                    String.format(
                            Locale.ROOT,
                            "the canary's error rate is %.2f%% (%d of %d calls), the baseline's %.2f%%: more than"
                                    + " %.2f points above it",
                            canary.errorRate() * 100,
                            canary.errors(),
                            canary.calls(),
                            baseline.errorRate() * 100,
                            maxErrorRateIncrease * 100));
        }
        if (baseline.calls() > 0
                && canary.p99Millis() > baseline.p99Millis() * maxP99Ratio
                && canary.p99Millis() - baseline.p99Millis() > P99_NOISE_MILLIS) {
            return new Verdict(
                    Verdict.Kind.WORSE,
                    String.format(
                            Locale.ROOT,
                            "the canary's p99 is %.1f ms, the baseline's %.1f ms: more than %.2f times it",
                            canary.p99Millis(),
                            baseline.p99Millis(),
                            maxP99Ratio));
        }
        return new Verdict(Verdict.Kind.HEALTHY, "the canary is within its guardrails");
    }

    /** A judgement and the reason for it, in words a rollout's history shows. */
    public record Verdict(Kind kind, String reason) {

        /** What a canary was found to be. */
        public enum Kind {
            HEALTHY,
            TOO_FEW_CALLS,
            WORSE
        }
    }
}
