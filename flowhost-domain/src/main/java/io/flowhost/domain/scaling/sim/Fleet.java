package io.flowhost.domain.scaling.sim;

import io.flowhost.domain.scaling.Instances;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The simulated instances of one deployment: they start, become ready after the cold start, take calls up to the
 * hard concurrency, drain and stop; the fleet counts what they cost in instance-seconds.
 */
final class Fleet {

    private record Completion(long at, SimInstance instance) {}

    private final long coldStart;
    private final int maxConcurrency;
    private final List<SimInstance> starting = new ArrayList<>();
    private final List<SimInstance> ready = new ArrayList<>();
    private final List<SimInstance> draining = new ArrayList<>();
    private final PriorityQueue<Completion> completions = new PriorityQueue<>(Comparator.comparingLong(Completion::at));
    private long stoppedNanos;
    private long coldStarts;
    private int peak;
    private int inFlight;

    Fleet(long coldStart, int maxConcurrency) {
        this.coldStart = coldStart;
        this.maxConcurrency = maxConcurrency;
    }

    /** Instances already running when the replay begins (min-instances): not counted as cold starts. */
    void warm(int count) {
        for (int i = 0; i < count; i++) {
            var instance = new SimInstance(0, 0);
            instance.state = SimInstance.State.READY;
            ready.add(instance);
        }
        peak = Math.max(peak, live());
    }

    /** Brings the running count (ready + starting) to {@code desired}: starts new instances, or cancels and drains. */
    void scaleTo(int desired, long now) {
        while (running() < desired) {
            starting.add(new SimInstance(now, now + coldStart));
            coldStarts++;
        }
        // Cancel starts first, newest first: they serve nobody yet.
        while (running() > desired && !starting.isEmpty()) {
            stop(starting.removeLast(), now);
        }
        // Then drain the least busy ready instances: they finish soonest.
        while (running() > desired) {
            var idlest =
                    ready.stream().min(Comparator.comparingInt(i -> i.inFlight)).orElseThrow();
            ready.remove(idlest);
            if (idlest.inFlight == 0) {
                stop(idlest, now);
            } else {
                idlest.state = SimInstance.State.DRAINING;
                draining.add(idlest);
            }
        }
        peak = Math.max(peak, live());
    }

    /** When the next instance becomes ready or the next call finishes, or {@link Long#MAX_VALUE}. */
    long nextEvent() {
        long next = completions.isEmpty() ? Long.MAX_VALUE : completions.peek().at();
        for (var instance : starting) {
            next = Math.min(next, instance.readyAt);
        }
        return next;
    }

    /** Finishes the calls due by {@code now}, stopping drained instances; returns how many finished. */
    int complete(long now) {
        int finished = 0;
        while (!completions.isEmpty() && completions.peek().at() <= now) {
            var instance = completions.poll().instance();
            instance.inFlight--;
            inFlight--;
            finished++;
            if (instance.state == SimInstance.State.DRAINING && instance.inFlight == 0) {
                draining.remove(instance);
                stop(instance, now);
            }
        }
        return finished;
    }

    /** Marks the instances whose cold start is over as ready. */
    void becomeReady(long now) {
        for (var it = starting.iterator(); it.hasNext(); ) {
            var instance = it.next();
            if (instance.readyAt <= now) {
                it.remove();
                instance.state = SimInstance.State.READY;
                ready.add(instance);
            }
        }
    }

    /** Sends a call to the ready instance with the fewest calls (least outstanding), if one has room; false if none. */
    boolean dispatch(long now, long duration) {
        SimInstance best = null;
        for (var instance : ready) {
            if (instance.inFlight < maxConcurrency && (best == null || instance.inFlight < best.inFlight)) {
                best = instance;
            }
        }
        if (best == null) {
            return false;
        }
        best.inFlight++;
        inFlight++;
        completions.add(new Completion(now + duration, best));
        return true;
    }

    /** The counts the autoscaler sees. */
    Instances instances() {
        return new Instances(ready.size(), starting.size(), draining.size());
    }

    int running() {
        return ready.size() + starting.size();
    }

    int live() {
        return ready.size() + starting.size() + draining.size();
    }

    int inFlight() {
        return inFlight;
    }

    long coldStarts() {
        return coldStarts;
    }

    int peak() {
        return peak;
    }

    /** Instance-nanoseconds spent so far, counting live instances up to {@code now}: what the fleet cost. */
    long instanceNanos(long now) {
        long total = stoppedNanos;
        for (var list : List.of(starting, ready, draining)) {
            for (var instance : list) {
                total += now - instance.startedAt;
            }
        }
        return total;
    }

    private void stop(SimInstance instance, long now) {
        stoppedNanos += now - instance.startedAt;
    }
}
