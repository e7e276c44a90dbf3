package io.flowhost.state.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.rollout.Guardrails;
import io.flowhost.domain.rollout.Rollout;
import io.flowhost.domain.rollout.RolloutPlan;
import io.flowhost.domain.rollout.Split;
import io.flowhost.domain.rollout.Variant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A rollout as the JSON text of the {@code rollout} column, and back: times as ISO-8601, the plan as its steps. */
final class RolloutRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The column's shape: only strings, numbers and lists, so that it reads the same in any store. */
    record Stored(
            String variant,
            int percent,
            String routeKeyHeader,
            double tolerance,
            List<Integer> steps,
            Long bakeMillis,
            double maxErrorRateIncrease,
            double maxP99Ratio,
            long minCalls,
            int step,
            String since,
            String state,
            List<StoredStep> history) {}

    record StoredStep(String at, String action, int percent, String by, String reason) {}

    private RolloutRows() {}

    static String write(Rollout rollout) throws JsonProcessingException {
        if (rollout == null) {
            return null;
        }
        var plan = rollout.plan();
        var g = rollout.guardrails();
        return JSON.writeValueAsString(new Stored(
                rollout.variant().name(),
                rollout.split().percent(),
                rollout.routeKeyHeader(),
                rollout.tolerance(),
                plan == null ? null : plan.steps().stream().map(Split::percent).toList(),
                plan == null ? null : plan.bake().toMillis(),
                g.maxErrorRateIncrease(),
                g.maxP99Ratio(),
                g.minCalls(),
                rollout.step(),
                rollout.since().toString(),
                rollout.state().name(),
                rollout.history().stream()
                        .map(s -> new StoredStep(s.at().toString(), s.action(), s.percent(), s.by(), s.reason()))
                        .toList()));
    }

    static Rollout read(String text) throws JsonProcessingException {
        if (text == null) {
            return null;
        }
        var s = JSON.readValue(text, Stored.class);
        var plan = s.steps() == null
                ? null
                : new RolloutPlan(s.steps().stream().map(Split::new).toList(), Duration.ofMillis(s.bakeMillis()));
        return new Rollout(
                Variant.valueOf(s.variant()),
                new Split(s.percent()),
                s.routeKeyHeader(),
                s.tolerance(),
                plan,
                new Guardrails(s.maxErrorRateIncrease(), s.maxP99Ratio(), s.minCalls()),
                s.step(),
                Instant.parse(s.since()),
                Rollout.State.valueOf(s.state()),
                s.history().stream()
                        .map(h -> new Rollout.Step(Instant.parse(h.at()), h.action(), h.percent(), h.by(), h.reason()))
                        .toList());
    }
}
