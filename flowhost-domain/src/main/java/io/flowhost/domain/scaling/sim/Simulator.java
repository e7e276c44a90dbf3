package io.flowhost.domain.scaling.sim;

import io.flowhost.domain.scaling.Autoscaler;
import io.flowhost.domain.scaling.LoadWindow;
import io.flowhost.domain.scaling.ScaleState;
import io.flowhost.domain.scaling.ScalingSettings;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * Replays a request trace through the real {@link Autoscaler#decide} and {@link LoadWindow} on a virtual clock, to
 * see what a choice of settings costs and how callers fare, for traffic bigger than one machine can produce.
 *
 * <p>Event-driven: time jumps from one event to the next (an arrival, a call finishing, an instance becoming ready,
 * a held call timing out, a tick), so a million calls replay in seconds. Events at the same instant are handled in
 * that order: finished calls free room first, so a call arriving at the instant another finishes does not wait.
 */
public final class Simulator {

    private final Trace trace;
    private final ScalingSettings settings;
    private final Fleet fleet;
    private final LoadWindow window;
    private final ArrayDeque<Integer> held = new ArrayDeque<>();
    private final Delays delays = new Delays();
    private final long tick;
    private final long holdTimeout;

    private ScaleState state = ScaleState.initial();
    private int desired;
    private boolean panicking;
    private int next;
    private long now;
    private long failed;
    private long rejected;
    private int peakHeld;
    private long changes;
    private long panics;
    private long scaledToZero;
    private long zeroSince = -1;
    private long zeroNanos;

    private Simulator(Trace trace, ScalingSettings settings, SimulationOptions options) {
        this.trace = trace;
        this.settings = settings;
        this.fleet = new Fleet(options.coldStart().toNanos(), settings.maxConcurrency());
        this.window = new LoadWindow(settings.stableWindow());
        this.tick = options.tick().toNanos();
        this.holdTimeout = settings.holdTimeout().toNanos();
    }

    /** Replays the trace and reports; the replay ends once every call is done and the fleet is back at its minimum. */
    public static SimulationReport run(Trace trace, ScalingSettings settings, SimulationOptions options) {
        return new Simulator(trace, settings, options).replay();
    }

    private SimulationReport replay() {
        fleet.warm(settings.minInstances());
        desired = settings.minInstances();
        long nextTick = 0;
        long giveUp = Long.MAX_VALUE;
        while (true) {
            now = Math.min(Math.min(nextArrival(), fleet.nextEvent()), Math.min(nextTimeout(), nextTick));
            if (fleet.complete(now) > 0) {
                window.finished(instant());
            }
            fleet.becomeReady(now);
            sendHeld();
            failTimedOut();
            arrive();
            if (now == nextTick) {
                window.add(instant(), fleet.inFlight() + held.size());
                decide();
                nextTick += tick;
                if (settled()) {
                    break;
                }
                if (giveUp == Long.MAX_VALUE && allCallsDone()) {
                    // Settling takes at most the windows and delays plus the halvings; an hour more is a bug.
                    giveUp = now
                            + settings.stableWindow()
                                    .plus(settings.scaleDownDelay())
                                    .plus(settings.idleTimeout())
                                    .plusHours(1)
                                    .toNanos();
                }
                if (now > giveUp) {
                    break;
                }
            }
            trackZero();
        }
        trackZero();
        return report();
    }

    /** Asks the autoscaler and applies its answer at once, as the server's loop does. */
    private void decide() {
        var observed = window.observe(settings, instant(), held.size());
        var decision = Autoscaler.decide(settings, observed, fleet.instances(), state, instant());
        if (decision.desired() != desired) {
            changes++;
        }
        if (decision.panicking() && !panicking) {
            panics++;
        }
        desired = decision.desired();
        panicking = decision.panicking();
        state = decision.next();
        fleet.scaleTo(desired, now);
    }

    /** A new call goes to an instance with room, else waits behind those held before it, or is refused. */
    private void arrive() {
        while (next < trace.size() && trace.arrivalNanos(next) <= now) {
            int call = next++;
            window.arrived(instant());
            if (held.isEmpty() && fleet.dispatch(now, trace.durationNanos(call))) {
                delays.add(0);
            } else if (held.size() >= settings.maxHeld()) {
                rejected++;
            } else {
                held.addLast(call);
                peakHeld = Math.max(peakHeld, held.size());
                if (fleet.running() == 0) {
                    decide(); // the activator wakes a deployment at zero at once, without waiting for a tick
                }
            }
        }
    }

    /** Held calls go on in arrival order as soon as an instance has room. */
    private void sendHeld() {
        while (!held.isEmpty() && fleet.dispatch(now, trace.durationNanos(held.peekFirst()))) {
            delays.add(now - trace.arrivalNanos(held.removeFirst()));
        }
    }

    /** A call held for hold-timeout gets its 503 (the head of the queue has waited longest). */
    private void failTimedOut() {
        while (!held.isEmpty() && trace.arrivalNanos(held.peekFirst()) + holdTimeout <= now) {
            held.removeFirst();
            failed++;
            window.finished(instant());
        }
    }

    private void trackZero() {
        if (fleet.live() == 0 && zeroSince < 0) {
            zeroSince = now;
            scaledToZero += now > 0 ? 1 : 0; // starting at zero is not scaling to it
        } else if (fleet.live() > 0 && zeroSince >= 0) {
            zeroNanos += now - zeroSince;
            zeroSince = -1;
        }
    }

    private boolean allCallsDone() {
        return next == trace.size() && held.isEmpty() && fleet.inFlight() == 0;
    }

    private boolean settled() {
        return allCallsDone() && desired == settings.minInstances() && fleet.live() == settings.minInstances();
    }

    private long nextArrival() {
        return next < trace.size() ? trace.arrivalNanos(next) : Long.MAX_VALUE;
    }

    private long nextTimeout() {
        return held.isEmpty() ? Long.MAX_VALUE : trace.arrivalNanos(held.peekFirst()) + holdTimeout;
    }

    private Instant instant() {
        return Instant.EPOCH.plusNanos(now);
    }

    private SimulationReport report() {
        var queueing = delays.percentiles(50, 99, 100);
        double seconds = now / 1e9;
        long atZero = zeroNanos + (zeroSince >= 0 ? now - zeroSince : 0);
        long served = trace.size() - failed - rejected;
        return new SimulationReport(
                trace.size(),
                served,
                failed,
                rejected,
                delays.delayed(),
                seconds,
                fleet.instanceNanos(now) / 1e9,
                settings.maxInstances() * seconds,
                fleet.coldStarts(),
                fleet.peak(),
                peakHeld,
                queueing[0],
                queueing[1],
                queueing[2],
                changes,
                panics,
                scaledToZero,
                atZero / 1e9);
    }
}
