package io.flowhost.domain.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A version on its way in beside its service's primary: a canary taking a share of calls or a shadow getting a copy
 * of them, the plan it steps by (none while it is held where it is), and every step taken with its reason. Pure and
 * immutable: each change is a new rollout, the time passed in.
 *
 * @param variant what the version is while the rollout is live
 * @param split its share of calls (a canary's) or of copies (a shadow's)
 * @param routeKeyHeader the header whose value keeps a caller on one version, or null for {@code X-Flowhost-Route-Key}
 * @param tolerance how far apart two numbers in a shadow's and the primary's JSON answers may be and still agree
 * @param plan the steps and bake time, or null while it is held (it moves only when told to)
 * @param guardrails what makes it worse than the primary, so that it is rolled back
 * @param step the index of its share in the plan's steps
 * @param since when its current step began
 * @param state where it stands
 * @param history every step taken, oldest first
 */
public record Rollout(
        Variant variant,
        Split split,
        String routeKeyHeader,
        double tolerance,
        RolloutPlan plan,
        Guardrails guardrails,
        int step,
        Instant since,
        State state,
        List<Step> history) {

    /** The header a caller sends to stay on one version when the deployment names none. */
    public static final String ROUTE_KEY = "X-Flowhost-Route-Key";

    /** Most steps a history keeps: the newest. */
    static final int MAX_HISTORY = 50;

    /** Where a rollout stands. */
    public enum State {
        /** Live at its share; it moves only when told to (and is rolled back if it is worse). */
        HELD,
        /** Live, stepping by its plan. */
        RUNNING,
        /** It became its service's primary. */
        PROMOTED,
        /** It was taken out; the primary serves every call. */
        ROLLED_BACK;

        /** Whether the version still runs beside the primary. */
        public boolean live() {
            return this == HELD || this == RUNNING;
        }
    }

    /**
     * One thing that happened to a rollout.
     *
     * @param at when
     * @param action {@code deploy}, {@code start}, {@code advance}, {@code pause}, {@code promote} or {@code rollback}
     * @param percent the version's share after it
     * @param by who: a caller's name, or {@code flowhost} for the rollout's own decisions
     * @param reason why, in words
     */
    public record Step(Instant at, String action, int percent, String by, String reason) {}

    public Rollout {
        if (variant == Variant.PRIMARY) {
            throw new IllegalArgumentException("a rollout is of a canary or a shadow, not of a primary");
        }
        guardrails = guardrails == null ? Guardrails.DEFAULTS : guardrails;
        history = List.copyOf(history);
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance: " + tolerance + " (expected: 0 or more, e.g. 0.001)");
        }
    }

    /** A version deployed beside the primary at this share, held there, or stepping by {@code plan} when given. */
    public static Rollout deployed(
            Variant variant,
            Split split,
            String routeKeyHeader,
            double tolerance,
            RolloutPlan plan,
            Guardrails guardrails,
            String by,
            Instant now) {
        var first = plan == null ? split : plan.steps().getFirst();
        var deploy = new Step(
                now,
                "deploy",
                first.percent(),
                by,
                variant.label() + " at " + first.percent() + "%"
                        + (plan == null ? ", held there" : ", stepping by " + plan.describe()));
        return new Rollout(
                variant,
                first,
                routeKeyHeader,
                tolerance,
                plan,
                guardrails,
                0,
                now,
                plan == null ? State.HELD : State.RUNNING,
                List.of(deploy));
    }

    /** Stepping by {@code newPlan} from its first step, with these guardrails. */
    public Rollout started(RolloutPlan newPlan, Guardrails newGuardrails, String by, Instant now) {
        requireLive("start");
        var first = newPlan.steps().getFirst();
        return new Rollout(
                        variant,
                        first,
                        routeKeyHeader,
                        tolerance,
                        newPlan,
                        newGuardrails,
                        0,
                        now,
                        State.RUNNING,
                        history)
                .with(new Step(now, "start", first.percent(), by, "stepping by " + newPlan.describe()));
    }

    /** On to the plan's step {@code next}. */
    public Rollout advanced(int next, String by, String reason, Instant now) {
        requireLive("advance");
        var share = plan.steps().get(next);
        return new Rollout(variant, share, routeKeyHeader, tolerance, plan, guardrails, next, now, state, history)
                .with(new Step(now, "advance", share.percent(), by, reason));
    }

    /** Held at its share: nothing moves it but a command (the guardrails still watch it). */
    public Rollout paused(String by, Instant now) {
        requireLive("pause");
        return new Rollout(
                        variant, split, routeKeyHeader, tolerance, plan, guardrails, step, since, State.HELD, history)
                .with(new Step(now, "pause", split.percent(), by, "held at " + split.percent() + "%"));
    }

    /** The version became its service's primary. */
    public Rollout promoted(String by, String reason, Instant now) {
        requireLive("promote");
        return new Rollout(
                        variant,
                        new Split(100),
                        routeKeyHeader,
                        tolerance,
                        plan,
                        guardrails,
                        step,
                        now,
                        State.PROMOTED,
                        history)
                .with(new Step(now, "promote", 100, by, reason));
    }

    /** The version was taken out. */
    public Rollout rolledBack(String by, String reason, Instant now) {
        requireLive("roll back");
        return new Rollout(
                        variant,
                        Split.NONE,
                        routeKeyHeader,
                        tolerance,
                        plan,
                        guardrails,
                        step,
                        now,
                        State.ROLLED_BACK,
                        history)
                .with(new Step(now, "rollback", 0, by, reason));
    }

    /** The header whose value keeps a caller on one version. */
    public String keyHeader() {
        return routeKeyHeader == null ? ROUTE_KEY : routeKeyHeader;
    }

    private Rollout with(Step step) {
        var all = new ArrayList<>(history);
        all.add(step);
        if (all.size() > MAX_HISTORY) {
            all.subList(0, all.size() - MAX_HISTORY).clear();
        }
        return new Rollout(variant, split, routeKeyHeader, tolerance, plan, guardrails, this.step, since, state, all);
    }

    private void requireLive(String what) {
        if (!state.live()) {
            throw new IllegalStateException("cannot " + what + " a rollout that is "
                    + state.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        }
    }
}
