package io.flowhost.server.scaling;

import io.flowhost.server.gateway.RouteTable;
import io.flowhost.server.gateway.Traffic;
import io.flowhost.server.instances.Supervisor;
import io.flowhost.server.registry.Deployment;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The loop around the pure {@link Autoscaler}: every tick it samples each deployment's demand
 * from the gateway (calls in flight plus calls held), asks for a decision, and has the supervisor
 * bring the deployment to it. A call held for want of an instance wakes a deployment at once,
 * without waiting for the tick. All decisions run on one thread, so a deployment's window and
 * state are never touched by two at a time.
 */
public final class ScalingLoop implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.scaling");

    /** The last decision for a deployment, for {@code flowhost status}. */
    public record LastDecision(Instant at, int desired, String reason, boolean panicking) {
    }

    private final Supervisor supervisor;
    private final RouteTable routes;
    private final InstantSource clock;
    private final Duration tick;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("autoscaler").daemon().factory());
    private final Map<String, Memory> memories = new ConcurrentHashMap<>();
    private final Set<String> wakesPending = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.ToIntFunction<String> queued = id -> 0;
    private volatile ScaledListener scaled = (deployment, from, to) -> { };

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

        Memory(ScalingSettings settings) {
            window = new LoadWindow(settings.stableWindow());
        }
    }

    public ScalingLoop(Supervisor supervisor, RouteTable routes, InstantSource clock, Duration tick) {
        this.supervisor = supervisor;
        this.routes = routes;
        this.clock = clock;
        this.tick = tick;
    }

    /** Where to read a deployment's async queue depth, which counts as demand (and wakes it from zero). */
    public void queueDepth(java.util.function.ToIntFunction<String> depth) {
        this.queued = depth;
    }

    /** Starts ticking, and lets held calls wake their deployment. */
    public void start() {
        routes.onWake(this::wake);
        thread.scheduleWithFixedDelay(this::tickSafely, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Decides for one deployment now, on the loop's thread (a call is waiting for it); repeated wakes coalesce. */
    public void wake(String deploymentId) {
        if (wakesPending.add(deploymentId)) {
            thread.execute(() -> {
                wakesPending.remove(deploymentId);
                supervisor.deployments().stream().filter(d -> d.id().equals(deploymentId)).findFirst()
                        .ifPresent(d -> decideSafely(d, false));
            });
        }
    }

    /** The last decision for a deployment, if one was made. */
    public Optional<LastDecision> lastDecision(String deploymentId) {
        return Optional.ofNullable(memories.get(deploymentId)).map(m -> m.last);
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
        var traffic = routes.traffic(deployment.id());
        int inFlight = traffic.map(Traffic::inFlight).orElse(0);
        // Queued async work is demand too: a deployment at zero with a backlog wakes, and one with a
        // long backlog grows, just as it would for calls held at the gateway.
        int held = traffic.map(Traffic::held).orElse(0) + queued.applyAsInt(deployment.id());
        var now = clock.instant();
        if (sample) {
            memory.window.add(now, inFlight + held);
        }
        traffic.map(Traffic::lastArrival).ifPresent(memory.window::arrived);
        var counts = supervisor.counts(deployment.id());
        var decision = Autoscaler.decide(settings, memory.window.observe(settings, now, held),
                new Instances(counts.ready(), counts.starting(), counts.draining()), memory.state, now);
        memory.state = decision.next();
        var previous = memory.last;
        memory.last = new LastDecision(now, decision.desired(), decision.reason(), decision.panicking());
        if (previous != null && previous.desired() != decision.desired()) {
            scaled.scaled(deployment, previous.desired(), decision.desired());
        }
        if (previous == null || previous.desired() != decision.desired()) {
            LOG.log(Level.INFO, deployment.id() + ": " + (previous == null ? "" : previous.desired() + " -> ")
                    + decision.desired() + " instances (" + decision.reason() + ")");
        }
        // Every tick, not only on change: the supervisor also replaces instances that died meanwhile.
        supervisor.scaleTo(deployment.id(), decision.desired());
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
