package io.flowhost.domain.rollout;

import io.flowhost.domain.settings.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A canary's way to 100 %: its share at each step (e.g. 10, 50, 100) and how long each step bakes with the canary
 * healthy before the next. Pure: where a rollout stands and the time are passed in, and it says what to do next.
 *
 * @param steps the canary's share at each step, rising, the last 100
 * @param bake how long a step must run with the canary healthy before the next
 */
public record RolloutPlan(List<Split> steps, Duration bake) {

    public RolloutPlan {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || steps.getLast().percent() != 100) {
            throw new IllegalArgumentException("steps: " + percents(steps) + " (expected: shares rising to 100)");
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).percent() <= steps.get(i - 1).percent()) {
                throw new IllegalArgumentException(
                        "steps: " + percents(steps) + " (expected: each share above the one before)");
            }
        }
        if (bake.isNegative()) {
            throw new IllegalArgumentException("bake: " + bake + " (expected: 0 or more)");
        }
    }

    /** Reads {@code 10,50,100}, saying what is wrong otherwise. */
    public static RolloutPlan parse(String steps, Duration bake) {
        var splits = new ArrayList<Split>();
        for (var step : steps.split(",")) {
            splits.add(Split.parse(step));
        }
        return new RolloutPlan(splits, bake);
    }

    /** What to do with a rollout at {@code step} (an index of {@link #steps}) that began it at {@code since}. */
    public Next next(int step, Instant since, Instant now, Guardrails.Verdict verdict) {
        if (verdict.kind() == Guardrails.Verdict.Kind.WORSE) {
            return new Next(Next.Action.ROLL_BACK, step, verdict.reason());
        }
        var baked = !now.isBefore(since.plus(bake));
        if (!baked || verdict.kind() != Guardrails.Verdict.Kind.HEALTHY) {
            return new Next(Next.Action.WAIT, step, baked ? verdict.reason() : "baking until " + since.plus(bake));
        }
        if (step + 1 == steps.size()) {
            return new Next(
                    Next.Action.COMPLETE,
                    step,
                    "the canary took every call for " + Durations.format(bake) + ", healthy");
        }
        return new Next(
                Next.Action.ADVANCE,
                step + 1,
                "healthy at " + steps.get(step).percent() + "% for " + Durations.format(bake) + ": on to "
                        + steps.get(step + 1).percent() + "%");
    }

    /** {@code 10,50,100 %, 5 min each}: the plan in words. */
    public String describe() {
        return percents(steps).stream().map(String::valueOf).collect(Collectors.joining(",")) + " %, "
                + Durations.format(bake) + " each";
    }

    private static List<Integer> percents(List<Split> steps) {
        return steps.stream().map(Split::percent).toList();
    }

    /** What a rollout does next, the step it is then at, and why (recorded and shown). */
    public record Next(Action action, int step, String reason) {

        /** Stay, go on to the next step, finish (the canary becomes the primary), or roll back. */
        public enum Action {
            WAIT,
            ADVANCE,
            COMPLETE,
            ROLL_BACK
        }
    }
}
