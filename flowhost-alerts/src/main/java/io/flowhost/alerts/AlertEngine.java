package io.flowhost.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.state.AlertStateStore;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates the rules every {@code evaluation-interval} against a {@link StatsSource}, keeps the alerts' states and
 * sends what changed to a notifier; the decision itself is the pure {@link Evaluator}.
 */
public final class AlertEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.alerts");

    private final AlertSettings settings;
    private final StatsSource stats;
    private final AlertNotifier notifier;
    private final InstantSource clock;
    private final Evaluator evaluator;
    private final AlertMemory memory;
    private volatile Evaluation last;
    private ScheduledExecutorService ownScheduler;
    private ScheduledFuture<?> ticking;

    /** An engine that evaluates only when {@link #evaluate()} is called, until {@link #schedule} is. */
    public AlertEngine(AlertSettings settings, StatsSource stats, AlertNotifier notifier, InstantSource clock) {
        this(settings, stats, notifier, clock, null);
    }

    /**
     * An engine that goes on from the states kept in {@code store} (null: from nothing) and keeps them there
     * whenever an alert changes state.
     */
    public AlertEngine(
            AlertSettings settings,
            StatsSource stats,
            AlertNotifier notifier,
            InstantSource clock,
            AlertStateStore store) {
        this.settings = settings;
        this.stats = stats;
        this.notifier = notifier;
        this.clock = clock;
        this.evaluator = new Evaluator(settings.resolvedRetention());
        this.memory = store == null ? null : new AlertMemory(store);
        var states = memory == null ? AlertStates.empty() : memory.recall(settings.rules());
        this.last = new Evaluation(clock.instant(), states, List.of());
    }

    /**
     * An engine on the system clock that notifies the log and the settings' webhooks, ticking on its own thread,
     * going on from the states kept in {@code store}.
     */
    public static AlertEngine start(AlertSettings settings, StatsSource stats, AlertStateStore store) {
        var engine = new AlertEngine(settings, stats, AlertNotifier.of(settings), InstantSource.system(), store);
        var scheduler = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("flowhost-alerts").daemon().unstarted(r));
        engine.schedule(scheduler);
        engine.ownScheduler = scheduler;
        return engine;
    }

    /** Evaluates every {@code evaluation-interval} on this scheduler, the first time one interval from now. */
    public synchronized AlertEngine schedule(ScheduledExecutorService scheduler) {
        if (ticking != null) {
            throw new IllegalStateException("already scheduled");
        }
        long every = settings.evaluationInterval().toMillis();
        ticking = scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Evaluates the rules now, stores the states and sends the notifications; the scheduler calls it each tick. */
    public synchronized Evaluation evaluate() {
        var evaluation = evaluator.evaluate(settings.rules(), stats, last.states(), clock.instant());
        last = evaluation;
        if (memory != null && !evaluation.transitions().isEmpty()) {
            memory.remember(evaluation.states());
        }
        notifier.send(evaluation.notifications());
        return evaluation;
    }

    /** The alerts that are pending, firing or resolved after the last evaluation, in rule order. */
    public List<AlertStatus> alerts() {
        return last.states().all().stream().map(AlertStatus::of).toList();
    }

    /** The rules evaluated. */
    public List<Rule> rules() {
        return settings.rules();
    }

    /** The settings the engine runs with. */
    public AlertSettings settings() {
        return settings;
    }

    /** The body of {@code GET /v1/alerts}: see {@link AlertsJson}. */
    public ObjectNode toJson() {
        return AlertsJson.of(alerts(), rules());
    }

    /** Stops evaluating and lets notifications on their way arrive (briefly). */
    @Override
    public void close() {
        synchronized (this) {
            if (ticking != null) {
                ticking.cancel(false);
            }
        }
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
        notifier.close();
    }

    /** One scheduled evaluation; a failure is logged, never thrown, since a scheduler stops a task that throws. */
    private void tick() {
        try {
            evaluate();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "evaluating the alert rules failed; trying again next tick", e);
        }
    }
}
