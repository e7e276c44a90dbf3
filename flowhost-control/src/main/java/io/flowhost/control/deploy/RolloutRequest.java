package io.flowhost.control.deploy;

import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.domain.rollout.Guardrails;
import io.flowhost.domain.rollout.Rollout;
import io.flowhost.domain.rollout.RolloutPlan;
import io.flowhost.domain.rollout.Split;
import io.flowhost.domain.rollout.Variant;
import io.flowhost.domain.settings.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a deploy or {@code rollout start} asks for a version to come in beside its service's primary: as a canary
 * ({@code canary} or its other name {@code weight}) or a shadow ({@code shadow}) at a share, stepping by
 * {@code steps} and {@code bake}, judged by the guardrails' keys, and kept sticky by {@code route-key-header}.
 *
 * @param variant canary or shadow
 * @param split its first share
 * @param plan the steps, or null to hold it at its share
 * @param guardrails what makes it worse than the primary
 * @param routeKeyHeader the header whose value keeps a caller on one version, or null for the default
 * @param tolerance how far apart numbers in a shadow's and the primary's JSON answers may be and still agree
 */
public record RolloutRequest(
        Variant variant,
        Split split,
        RolloutPlan plan,
        Guardrails guardrails,
        String routeKeyHeader,
        double tolerance) {

    /** The keys a deploy's settings may hold for a rollout. */
    public static final List<String> KEYS = List.of(
            "canary",
            "weight",
            "shadow",
            "steps",
            "bake",
            "route-key-header",
            "tolerance",
            "max-error-rate-increase",
            "max-p99-ratio",
            "min-calls");

    private static final Pattern HEADER = Pattern.compile("[A-Za-z0-9-]{1,64}");

    /** The rollout a deploy asks for, or null for a version that replaces the primary at once; checked. */
    public static RolloutRequest from(Map<String, String> given) throws InvalidSettingsException {
        var canary = given.containsKey("canary") ? given.get("canary") : given.get("weight");
        var shadow = given.get("shadow");
        if (given.containsKey("canary") && given.containsKey("weight")) {
            throw new InvalidSettingsException("canary and weight are two names for one thing: give one of them");
        }
        if (canary != null && shadow != null) {
            throw new InvalidSettingsException(
                    "a version is a canary (it answers its share of calls) or a shadow (it gets copies), not both");
        }
        if (canary == null && shadow == null) {
            for (var key : KEYS) {
                if (given.containsKey(key)) {
                    throw new InvalidSettingsException(key + " needs canary (or weight) or shadow: it tells how a"
                            + " version rolls out beside the one it would replace");
                }
            }
            return null;
        }
        var variant = canary != null ? Variant.CANARY : Variant.SHADOW;
        try {
            var split = Split.parse(canary != null ? canary : shadow);
            var plan = plan(given, split);
            double tolerance = number(given, "tolerance", 0);
            if (tolerance < 0) {
                throw new IllegalArgumentException("tolerance: " + tolerance + " (expected: 0 or more, e.g. 0.001)");
            }
            return new RolloutRequest(variant, split, plan, guardrails(given), header(given), tolerance);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
    }

    /** The plan and guardrails {@code rollout start} asks for; its steps are required. */
    public static RolloutRequest forStart(Map<String, String> given) throws InvalidSettingsException {
        if (given.get("steps") == null) {
            throw new InvalidSettingsException("steps: missing (expected the shares to step through, e.g. 10,50,100)");
        }
        try {
            var plan = plan(given, null);
            return new RolloutRequest(Variant.CANARY, plan.steps().getFirst(), plan, guardrails(given), null, 0);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
    }

    /** The rollout of a version deployed now by {@code by}. */
    public Rollout rollout(String by, Instant now) {
        return Rollout.deployed(variant, split, routeKeyHeader, tolerance, plan, guardrails, by, now);
    }

    private static RolloutPlan plan(Map<String, String> given, Split first) {
        var steps = given.get("steps");
        var bake = given.get("bake");
        if (steps == null) {
            if (bake != null) {
                throw new IllegalArgumentException("bake: needs steps (e.g. steps=10,50,100)");
            }
            return null;
        }
        var plan = RolloutPlan.parse(steps, bake == null ? Duration.ofMinutes(5) : Durations.parse(bake));
        if (first != null && first.percent() != plan.steps().getFirst().percent()) {
            throw new IllegalArgumentException(
                    "the first step (" + plan.steps().getFirst().percent() + "%) is not the share asked for ("
                            + first.percent() + "%): give one of them, or the same");
        }
        return plan;
    }

    private static Guardrails guardrails(Map<String, String> given) {
        var d = Guardrails.DEFAULTS;
        return new Guardrails(
                number(given, "max-error-rate-increase", d.maxErrorRateIncrease()),
                number(given, "max-p99-ratio", d.maxP99Ratio()),
                (long) number(given, "min-calls", d.minCalls()));
    }

    private static double number(Map<String, String> given, String key, double otherwise) {
        var text = given.get(key);
        if (text == null) {
            return otherwise;
        }
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a number");
        }
    }

    private static String header(Map<String, String> given) {
        var header = given.get("route-key-header");
        if (header != null && !HEADER.matcher(header).matches()) {
            throw new IllegalArgumentException(
                    "route-key-header: '" + header + "' is not a header name (letters, digits and dashes)");
        }
        return header;
    }
}
