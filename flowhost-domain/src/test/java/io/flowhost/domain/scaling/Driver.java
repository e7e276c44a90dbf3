package io.flowhost.domain.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the autoscaler tick by tick on a manual clock, feeding a {@link LoadWindow} the demand a test gives, with
 * instances that start at once: decisions as the server's loop makes them, without the server.
 */
final class Driver {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** One tick: when, what the load was, what was decided. */
    record Tick(Instant at, double demand, Decision decision) {
        int desired() {
            return decision.desired();
        }
    }

    private final ScalingSettings settings;
    private final LoadWindow window;
    private final List<Tick> history = new ArrayList<>();
    private ScaleState state = ScaleState.initial();
    private Instant now = T0;
    private int instances;

    Driver(ScalingSettings settings, int instances) {
        this.settings = settings;
        this.window = new LoadWindow(settings.stableWindow());
        this.instances = instances;
    }

    /** Advances the clock one second, samples {@code demand} and decides; the instances follow the decision at once. */
    Decision tick(double demand) {
        now = now.plusSeconds(1);
        window.add(now, demand);
        var decision = Autoscaler.decide(
                settings, window.observe(settings, now, 0), new Instances(instances, 0, 0), state, now);
        state = decision.next();
        instances = decision.desired();
        history.add(new Tick(now, demand, decision));
        return decision;
    }

    /** Ticks {@code seconds} times at the same demand; returns the last decision. */
    Decision hold(double demand, int seconds) {
        Decision last = null;
        for (int i = 0; i < seconds; i++) {
            last = tick(demand);
        }
        return last;
    }

    int instances() {
        return instances;
    }

    Instant now() {
        return now;
    }

    List<Tick> history() {
        return history;
    }

    /** The instants at which the desired count changed. */
    List<Instant> changes() {
        var changes = new ArrayList<Instant>();
        for (int i = 1; i < history.size(); i++) {
            if (history.get(i).desired() != history.get(i - 1).desired()) {
                changes.add(history.get(i).at());
            }
        }
        return changes;
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
