package io.flowhost.domain.scaling;

import io.flowhost.domain.settings.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * The autoscaler: a pure function from (settings, observed load, current instances, memory, now) to a decision.
 * Time is passed in, never read, so the same function runs in the server's loop, in the simulator and in tests on a
 * manual clock. The steps, in order: desired from load, panic mode, rate limits, delays, bounds (as Knative's
 * {@code autoscaler.go Scale()} and Ray Serve's {@code autoscaling_policy.py}).
 */
public final class Autoscaler {

    /** Averages are sums of samples; without this, 8.000000001 calls at target 4 would ask for a third instance. */
    private static final double EPSILON = 1e-9;

    private Autoscaler() {}

    /** Decides how many instances (ready + starting) the deployment should have now, and why. */
    public static Decision decide(
            ScalingSettings settings, Observed observed, Instances current, ScaleState state, Instant now) {
        var since = state.since() == null ? now : state.since();
        int running = current.running();

        // 1. desired from load, 2. panic mode
        int stable = perTarget(observed.stableAverage(), settings);
        int burst = perTarget(observed.panicAverage(), settings);
        var panic = panicMode(settings, observed, current, state.panic(), Math.max(stable, burst), now);
        int fromLoad = panic == null ? stable : Math.max(stable, burst);
        int wanted = panic == null ? stable : panic.highestDesired();
        var reason = explain(settings, observed, current, panic, stable, burst);

        // 3. rate limits
        int limited = rateLimit(wanted, running, reason);

        // 4. delays: the scale-down delay, then the last instance's own
        var peaks = ScaleState.record(state.peaks(), fromLoad, now, settings.scaleDownDelay());
        int delayed = holdForScaleDownDelay(limited, running, peaks.getFirst().desired(), settings, reason);
        var idle = Duration.between(observed.lastActive() == null ? since : observed.lastActive(), now);
        boolean asleep =
                settings.minInstances() == 0 && observed.waiting() == 0 && idle.compareTo(settings.idleTimeout()) >= 0;
        int kept = asleep
                ? sleep(idle, observed, reason)
                : lastInstance(delayed, running, settings, observed, idle, reason);

        // 5. bounds
        int desired = bounds(kept, settings, observed.waiting(), reason);

        var next = new ScaleState(since, asleep ? null : panic, peaks);
        return new Decision(desired, reason.toString(desired), next.panicking(), next);
    }

    /** Step 1: instances needed so that each carries the target: ceil(average / target), e.g. 9 in flight at 4 -> 3. */
    static int perTarget(double average, ScalingSettings settings) {
        double needed = Math.ceil(average / settings.targetInFlight() - EPSILON);
        return (int) Math.min(Math.max(needed, 0), 1_000_000);
    }

    /**
     * Step 2: panic mode, for bursts too sudden for the 60 s average. Panic begins when the panic window's demand
     * reaches panic-threshold x target for each ready instance (target 4, 2x: 9 in flight on 1 ready instance, or 17
     * on 2). While it lasts the count only goes up: the highest desired seen in the panic is kept, starting from what
     * runs when it begins. It ends once the condition has not held for a whole stable window, by which time the burst
     * is in the stable average and the stable mode can take over without dropping instances it still needs.
     */
    static ScaleState.Panic panicMode(
            ScalingSettings settings,
            Observed observed,
            Instances current,
            ScaleState.Panic panic,
            int fromLoad,
            Instant now) {
        // No ready instance counts as one: a burst waiting on a cold start is a burst.
        double threshold = settings.panicThreshold() * settings.targetInFlight() * Math.max(1, current.ready());
        boolean over = observed.panicAverage() >= threshold - EPSILON;
        if (over) {
            var started = panic == null ? now : panic.started();
            int highest = panic == null ? current.running() : panic.highestDesired();
            return new ScaleState.Panic(started, now, Math.max(highest, fromLoad));
        }
        if (panic == null || !now.isBefore(panic.lastOver().plus(settings.stableWindow()))) {
            return null;
        }
        return new ScaleState.Panic(panic.started(), panic.lastOver(), Math.max(panic.highestDesired(), fromLoad));
    }

    /** The reason's first part: what the load asks for, by the stable window or, in panic, by the panic window. */
    private static Reason explain(
            ScalingSettings settings,
            Observed observed,
            Instances current,
            ScaleState.Panic panic,
            int stable,
            int burst) {
        if (panic == null) {
            return Reason.stable(observed.stableAverage(), settings.stableWindow(), settings.targetInFlight(), stable);
        }
        var reason = Reason.panic(
                observed.panicAverage(), settings.panicWindow(), current.ready(), settings.targetInFlight(), burst);
        int held = panic.highestDesired();
        if (held > burst) {
            reason.note(
                    held, held == stable ? "stable window wants " + stable : "no scale-down in panic: holding " + held);
        }
        return reason;
    }

    /**
     * Step 3: rate limits, so one noisy sample cannot swing the fleet. Up: at most double, but at least one more, so
     * 0 -> 1 -> 2 -> 4 -> 8 on successive decisions (starting instances count, so this does not wait for them).
     * Down: at most halve, rounding up (6 -> 3, 3 -> 2); 1 -> 0 is left to the last instance's own delay.
     */
    static int rateLimit(int wanted, int running, Reason reason) {
        int up = Math.max(2 * running, running + 1);
        int down = running <= 1 ? 0 : (running + 1) / 2;
        if (wanted > up) {
            reason.note(up, "scale-up limited to " + up + " from " + running + ": at most 2x per decision");
            return up;
        }
        if (wanted < down) {
            reason.note(down, "scale-down limited to " + down + " from " + running + ": at most half per decision");
            return down;
        }
        return wanted;
    }

    /**
     * Step 4a: the scale-down delay. Scale down only as far as the highest count the load asked for within the last
     * scale-down-delay, so a dip shorter than the delay keeps its instances and a load sitting on a boundary (3.9 /
     * 4.1 at target 4) does not stop and start an instance every few seconds. Never a reason to scale up.
     */
    static int holdForScaleDownDelay(
            int candidate, int running, int highestRecent, ScalingSettings settings, Reason reason) {
        if (candidate >= running) {
            return candidate;
        }
        int held = Math.min(running, Math.max(candidate, highestRecent));
        if (held > candidate) {
            reason.note(
                    held, "holding " + held + " for scale-down-delay " + Durations.format(settings.scaleDownDelay()));
        }
        return held;
    }

    /**
     * Step 4b: the last instance has its own, longer delay, because the next call after it stops pays a cold start:
     * 1 -> 0 only once idle-timeout has passed since the last call, and never while calls are waiting. Does not apply
     * when min-instances keeps an instance anyway.
     */
    static int lastInstance(
            int candidate, int running, ScalingSettings settings, Observed observed, Duration idle, Reason reason) {
        if (candidate > 0 || running == 0 || settings.minInstances() > 0) {
            return candidate;
        }
        if (observed.waiting() > 0) {
            reason.note(1, "keeping the last instance: " + calls(observed.waiting()) + " waiting");
        } else {
            var elapsed = Durations.elapsed(idle.isNegative() ? Duration.ZERO : idle);
            reason.note(
                    1,
                    "keeping the last instance: idle " + elapsed + " of " + Durations.format(settings.idleTimeout()));
        }
        return 1;
    }

    /**
     * Step 4b, once idle-timeout has passed with no call in flight, held or arriving (or, if none ever came, since the
     * autoscaler began watching): zero, from any count. Idleness is a fact, not an estimate, so it overrides the
     * averages (a 60 s window still remembers a call that ended 10 s ago), the rate limits and the scale-down delay;
     * that is what makes a short idle-timeout mean what it says, e.g. zero 10 s after the last call.
     */
    static int sleep(Duration idle, Observed observed, Reason reason) {
        reason.idle(idle, observed.lastActive() != null);
        return 0;
    }

    /** Step 5: bounds, min-instances..max-instances, and at least one whenever a call waits (the activator woke us). */
    static int bounds(int candidate, ScalingSettings settings, int waiting, Reason reason) {
        if (candidate > settings.maxInstances()) {
            reason.note(settings.maxInstances(), "capped at max-instances " + settings.maxInstances());
            return settings.maxInstances();
        }
        if (candidate < settings.minInstances()) {
            reason.note(settings.minInstances(), "raised to min-instances " + settings.minInstances());
            return settings.minInstances();
        }
        if (candidate == 0 && waiting > 0) {
            reason.note(1, "waking for " + (waiting == 1 ? "1 waiting call" : waiting + " waiting calls"));
            return 1;
        }
        return candidate;
    }

    private static String calls(int n) {
        return n == 1 ? "1 call" : n + " calls";
    }
}
