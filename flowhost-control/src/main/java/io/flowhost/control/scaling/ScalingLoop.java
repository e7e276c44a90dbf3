package io.flowhost.control.scaling;

import io.flowhost.control.supervise.Supervisor;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.scaling.Autoscaler;
import io.flowhost.domain.scaling.Instances;
import io.flowhost.domain.scaling.LoadWindow;
import io.flowhost.domain.scaling.ScaleState;
import io.flowhost.domain.scaling.ScalingSettings;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The loop around the pure {@link Autoscaler}: every tick it samples each deployment's {@link Demand}
 * (calls in flight, calls waiting), asks for a decision, and has the supervisor bring the deployment
 * to it. A call held for want of an instance wakes a deployment at once ({@link #wake}), without
 * waiting for the tick. All decisions run on one thread, so a deployment's window and
 * state are never touched by two at a time.
 */
public final class ScalingLoop implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.scaling");

    /** The last decision for a deployment, for {@code flowhost status}. */
    public record LastDecision(Instant at, int desired, String reason, boolean panicking) {}

    /** A decision that changed how many instances a deployment wants, for the dashboard. */
    public record Change(Instant at, int from, int to, String reason, boolean panicking) {}

    /** How many changes are kept per deployment. */
    private static final int CHANGES_KEPT = 100;

    private final Supervisor supervisor;
    private final Demand demand;
    private final InstantSource clock;
    private final Duration tick;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("autoscaler").daemon().factory());
    private final Map<String, Memory> memories = new ConcurrentHashMap<>();
    private final Set<String> wakesPending = ConcurrentHashMap.newKeySet();
    private volatile ScaledListener scaled = (deployment, from, to) -> {};
    private ScheduledFuture<?> ticking;
    private volatile boolean running;

    /** Told when a decision changes the number of instances wanted. */
    @FunctionalInterface
    public interface ScaledListener {
        void scaled(Deployment deployment, int from, int to);
    }

    /** Who to tell of decisions that change the instances wanted, for metrics. */
    public void onScaled(ScaledListener listener) {
        this.scaled = listener;
    }

    /** What the loop keeps per deployment between ticks. */
    private static final class Memory {
        final LoadWindow window;
        ScaleState state = ScaleState.initial();
        volatile LastDecision last;
        final ArrayDeque<Change> changes = new ArrayDeque<>(); // guarded by itself; the newest last

        Memory(ScalingSettings settings) {
            window = new LoadWindow(settings.stableWindow());
        }
    }

    /** What the loop reads of one deployment's load. */
    @FunctionalInterface
    public interface Demand {

        /** The deployment's load now. */
        Load of(String deploymentId);
    }

    /**
     * One deployment's load.
     *
     * @param inFlight calls its instances are running
     * @param waiting calls held at the gateway for an instance, and async requests queued: demand that wakes it
     * @param lastArrival when its last call arrived, or null if none has
     */
    public record Load(int inFlight, int waiting, Instant lastArrival) {}

    public ScalingLoop(Supervisor supervisor, Demand demand, InstantSource clock, Duration tick) {
        this.supervisor = supervisor;
        this.demand = demand;
        this.clock = clock;
        this.tick = tick;
    }

    /** Starts ticking (again, after {@link #stop}). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        ticking = thread.scheduleWithFixedDelay(
                this::tickSafely, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops deciding (this server no longer leads) until {@link #start}: no tick, and wakes are ignored; a decision
     * already running finishes.
     */
    public synchronized void stop() {
        running = false;
        if (ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
    }

    /** Decides for one deployment now, on the loop's thread (a call is waiting for it); repeated wakes coalesce. */
    public void wake(String deploymentId) {
        if (running && wakesPending.add(deploymentId)) {
            try {
                thread.execute(() -> {
                    wakesPending.remove(deploymentId);
                    supervisor.deployments().stream()
                            .filter(d -> d.id().equals(deploymentId))
                            .findFirst()
                            .ifPresent(d -> decideSafely(d, false));
                });
            } catch (RejectedExecutionException closing) {
                // Closed since running was read: the server is stopping and the held call ends with it; nothing to
                // decide.
                wakesPending.remove(deploymentId);
            }
        }
    }

    /** The last decision for a deployment, if one was made. */
    public Optional<LastDecision> lastDecision(String deploymentId) {
        return Optional.ofNullable(memories.get(deploymentId)).map(m -> m.last);
    }

    /** The deployment's last changes in instances wanted (at most {@value #CHANGES_KEPT}), oldest first. */
    public List<Change> changes(String deploymentId) {
        var memory = memories.get(deploymentId);
        if (memory == null) {
            return List.of();
        }
        synchronized (memory.changes) {
            return List.copyOf(memory.changes);
        }
    }

    private void tickSafely() {
        var live = supervisor.deployments();
        memories.keySet().retainAll(live.stream().map(Deployment::id).toList());
        for (var deployment : live) {
            decideSafely(deployment, true);
        }
    }

    private void decideSafely(Deployment deployment, boolean sample) {
        try {
            decide(deployment, sample);
        } catch (RuntimeException e) {
            // One deployment's trouble must not stop the others from scaling.
            LOG.log(Level.ERROR, "scaling " + deployment.id() + " failed", e);
        }
    }

    private void decide(Deployment deployment, boolean sample) {
        var settings = deployment.scaling();
        var memory = memories.computeIfAbsent(deployment.id(), id -> new Memory(settings));
        var load = demand.of(deployment.id());
        int held = load.waiting();
        var now = clock.instant();
        if (sample) {
            memory.window.add(now, load.inFlight() + held);
        }
        if (load.lastArrival() != null) {
            memory.window.arrived(load.lastArrival());
        }
        var counts = supervisor.counts(deployment.id());
        var decision = Autoscaler.decide(
                settings,
                memory.window.observe(settings, now, held),
                new Instances(counts.ready(), counts.starting(), counts.draining()),
                memory.state,
                now);
        memory.state = decision.next();
        var previous = memory.last;
        memory.last = new LastDecision(now, decision.desired(), decision.reason(), decision.panicking());
        if (previous != null && previous.desired() != decision.desired()) {
            scaled.scaled(deployment, previous.desired(), decision.desired());
        }
        // before the first decision, what the deployment was started with (a deploy starts its first instance)
        int before = previous == null ? counts.ready() + counts.starting() : previous.desired();
        if (before != decision.desired()) {
            synchronized (memory.changes) {
                if (memory.changes.size() == CHANGES_KEPT) {
                    memory.changes.removeFirst();
                }
                memory.changes.addLast(
                        new Change(now, before, decision.desired(), decision.reason(), decision.panicking()));
            }
        }
        if (previous == null || previous.desired() != decision.desired()) {
            LOG.log(
                    Level.INFO,
                    deployment.id() + ": " + (previous == null ? "" : previous.desired() + " -> ") + decision.desired()
                            + " instances (" + decision.reason() + ")");
        }
        // Every tick, not only on change: the supervisor also replaces instances that died meanwhile.
        supervisor.scaleTo(deployment.id(), decision.desired());
    }

    @Override
    public void close() {
        stop(); // wakes are ignored from now on: calls held while the server stops would find the thread gone
        thread.shutdownNow();
    }
}
