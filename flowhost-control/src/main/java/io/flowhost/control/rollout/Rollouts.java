package io.flowhost.control.rollout;

import io.flowhost.control.deploy.Deployments;
import io.flowhost.domain.audit.AuditEvent;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.rollout.Guardrails;
import io.flowhost.domain.rollout.NoRolloutException;
import io.flowhost.domain.rollout.Rollout;
import io.flowhost.domain.rollout.RolloutPlan;
import io.flowhost.domain.rollout.Variant;
import io.flowhost.domain.rollout.VersionStats;
import io.flowhost.domain.service.UnknownServiceException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Moves rollouts on: the commands ({@code start}, {@code pause}, {@code promote}, {@code rollback}) and, on the
 * leader every second, each live rollout's own next step: it is judged against its primary over the last
 * {@link #WINDOW} (and by the alert rules scoped to it), rolled back when worse, and stepped by its plan when its
 * bake time passed healthy. Every step is recorded in the rollout's history and on the audit trail.
 */
public final class Rollouts {

    /** The window a candidate is judged over: short enough to roll a failing one back within 30 s. */
    public static final Duration WINDOW = Duration.ofSeconds(20);

    /** Who a rollout's own decisions are by. */
    public static final String SELF = "flowhost";

    private static final System.Logger LOG = System.getLogger("flowhost.rollouts");

    /** What each version did recently, as the gateway counted it, and which alerts fire for it. */
    public interface Windows {

        /** A deployment's calls, 5xx answers and p99 over {@code (now - window, now]}. */
        VersionStats stats(String deploymentId, Duration window, Instant now);

        /** The alerts firing now on rules scoped to the deployment (its id as their service), named. */
        List<String> firing(String deploymentId);
    }

    /** A service's primary and the version rolling out beside it. */
    public record Pair(Deployment primary, Deployment candidate) {}

    private final Deployments deployments;
    private final Windows windows;
    private final Consumer<AuditEvent> audit;
    private final Clock clock;
    // When each candidate's first call was seen (by this leader): its warm-up ends a window later.
    private final Map<String, Instant> firstCalls = new HashMap<>();

    public Rollouts(Deployments deployments, Windows windows, Consumer<AuditEvent> audit, Clock clock) {
        this.deployments = deployments;
        this.windows = windows;
        this.audit = audit;
        this.clock = clock;
    }

    /** The service's primary and its live candidate; the candidate is null when none rolls out. */
    public Pair pair(String service) {
        Deployment primary = null;
        Deployment candidate = null;
        for (var d : deployments.active()) {
            if (d.service().equals(service)) {
                if (d.variant() == Variant.PRIMARY) {
                    primary = d;
                } else {
                    candidate = d;
                }
            }
        }
        if (primary == null && candidate == null) {
            throw new UnknownServiceException(service);
        }
        return new Pair(primary, candidate);
    }

    /** The service's latest rollout, live or finished (its deployment), if it ever had one. */
    public Optional<Deployment> latest(String service) {
        return deployments.all().stream()
                .filter(d -> d.service().equals(service) && d.rollout() != null)
                .findFirst();
    }

    /** Steps the service's candidate by {@code plan} from its first step. */
    public synchronized Deployment start(String service, RolloutPlan plan, Guardrails guardrails, String by) {
        var candidate = candidate(service);
        return record(candidate.withRollout(candidate.rollout().started(plan, guardrails, by, clock.instant())));
    }

    /** Holds the service's candidate at its share. */
    public synchronized Deployment pause(String service, String by) {
        var candidate = candidate(service);
        return record(candidate.withRollout(candidate.rollout().paused(by, clock.instant())));
    }

    /** Makes the service's candidate its primary now; the old primary retires once its calls are answered. */
    public synchronized Deployment promote(String service, String by) {
        var candidate = candidate(service);
        return record(candidate.withRollout(candidate.rollout().promoted(by, "promoted by " + by, clock.instant())));
    }

    /** Takes the service's candidate out; the primary answers every call again. */
    public synchronized Deployment rollback(String service, String by) {
        var candidate = candidate(service);
        return rollBack(candidate, by, "rolled back by " + by);
    }

    /** Judges each live rollout and takes its next step; on the leader, every second. */
    public synchronized void tick() {
        var now = clock.instant();
        var active = deployments.active();
        firstCalls.keySet().retainAll(active.stream().map(Deployment::id).toList());
        for (var d : active) {
            if (d.variant() == Variant.PRIMARY) {
                continue;
            }
            try {
                step(d, active, now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot move the rollout of " + d.id() + " on: " + e.getMessage());
            }
        }
    }

    private void step(Deployment candidate, List<Deployment> active, Instant now) {
        var primary = active.stream()
                .filter(d -> d.service().equals(candidate.service()) && d.variant() == Variant.PRIMARY)
                .findFirst();
        if (primary.isEmpty()) {
            return;
        }
        var firing = windows.firing(candidate.id());
        if (!firing.isEmpty()) {
            rollBack(candidate, SELF, "alert " + String.join(", ", firing) + " fires for " + candidate.id());
            return;
        }
        var rollout = candidate.rollout();
        var canary = windows.stats(candidate.id(), WINDOW, now);
        if (canary.calls() > 0) {
            firstCalls.putIfAbsent(candidate.id(), now);
        }
        // A new JVM's first calls are slow while it warms up: its latency is judged once they left the window.
        var first = firstCalls.get(candidate.id());
        var warm = first != null && !now.isBefore(first.plus(WINDOW));
        var guardrails = warm ? rollout.guardrails() : rollout.guardrails().errorsOnly();
        var verdict = guardrails.judge(windows.stats(primary.get().id(), WINDOW, now), canary);
        if (rollout.plan() == null || rollout.state() != Rollout.State.RUNNING) {
            if (verdict.kind() == Guardrails.Verdict.Kind.WORSE) {
                rollBack(candidate, SELF, verdict.reason());
            }
            return;
        }
        var next = rollout.plan().next(rollout.step(), rollout.since(), now, verdict);
        switch (next.action()) {
            case WAIT -> {}
            case ROLL_BACK -> rollBack(candidate, SELF, next.reason());
            case ADVANCE -> record(candidate.withRollout(rollout.advanced(next.step(), SELF, next.reason(), now)));
            case COMPLETE -> record(candidate.withRollout(rollout.promoted(SELF, next.reason(), now)));
        }
    }

    private Deployment rollBack(Deployment candidate, String by, String reason) {
        var now = clock.instant();
        return record(candidate
                .withRollout(candidate.rollout().rolledBack(by, reason, now))
                .withState(Deployment.State.RETIRED));
    }

    private Deployment record(Deployment changed) {
        var done = deployments.recordRollout(changed);
        var last = changed.rollout().history().getLast();
        LOG.log(
                Level.INFO,
                "rollout of " + changed.id() + ": " + last.action() + " at " + last.percent() + "% by " + last.by()
                        + " (" + last.reason() + ")");
        if (SELF.equals(last.by())) { // a command's own step is audited as the request that asked for it
            audit.accept(new AuditEvent(
                    last.at(), SELF, null, "rollout." + last.action(), changed.id(), "ok", 200, last.reason()));
        }
        return done;
    }

    private Deployment candidate(String service) {
        var pair = pair(service);
        if (pair.candidate() == null) {
            throw new NoRolloutException(service);
        }
        return pair.candidate();
    }
}
