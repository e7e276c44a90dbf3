package io.flowhost.control.supervise;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.instance.InstanceInfo;
import io.flowhost.domain.instance.InstanceState;
import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.InstanceStartException;
import io.flowhost.instances.RunningInstance;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Runs each supervised deployment's instances through the driver and keeps their number at what
 * the autoscaler wants: starts instances (backing off while starts keep failing), replaces those
 * that die, and retires surplus ones by draining them first (out of the balancer, calls in flight
 * finish, then stop). Every change of a deployment's ready set is told to the listener.
 */
public final class Supervisor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.instances");
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /** Told of every change of a deployment's ready instances. */
    public interface Listener {

        /** The deployment's instances taking calls are now these (none while they start). */
        void readyChanged(Deployment deployment, List<RunningInstance> ready);

        /** The deployment is no longer supervised; its instances are stopping. */
        void retired(Deployment deployment);
    }

    /** Told of instances started and lost, for metrics. */
    public interface Events {
        void started(Deployment deployment, RunningInstance instance);

        void crashed(Deployment deployment, RunningInstance instance);
    }

    private volatile Events events = new Events() {
        @Override
        public void started(Deployment deployment, RunningInstance instance) {}

        @Override
        public void crashed(Deployment deployment, RunningInstance instance) {}
    };

    /** Who to tell of instances started and lost. */
    public void observe(Events events) {
        this.events = events;
    }

    /** How many instances of a deployment are in each state. */
    public record Counts(int ready, int starting, int draining) {}

    private final InstanceDriver driver;
    private final Listener listener;
    private final ToIntFunction<String> inFlight;
    private final Duration drainTimeout;
    private final Duration othersLetGo;
    private final Map<String, Supervised> supervised = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param inFlight calls in flight on an instance, by instance id: a draining instance stops when it is zero
     * @param drainTimeout how long a draining instance may take to finish its calls before it is stopped anyway
     */
    public Supervisor(InstanceDriver driver, Listener listener, ToIntFunction<String> inFlight, Duration drainTimeout) {
        this(driver, listener, inFlight, drainTimeout, Duration.ZERO);
    }

    /**
     * A supervisor whose instances other gateways call too.
     *
     * @param othersLetGo how long an instance taken out of the routes keeps running before its calls are counted:
     *     the time the other gateways take to follow the routes published without it. Their calls in flight on it are
     *     not in {@code inFlight}, which counts this gateway's only.
     */
    public Supervisor(
            InstanceDriver driver,
            Listener listener,
            ToIntFunction<String> inFlight,
            Duration drainTimeout,
            Duration othersLetGo) {
        this.driver = driver;
        this.listener = listener;
        this.inFlight = inFlight;
        this.drainTimeout = drainTimeout;
        this.othersLetGo = othersLetGo;
    }

    /**
     * Starts the first instance of a deployment and returns once it is ready; it is supervised from then on. Instances
     * still supervised under its id are stopped first.
     */
    public RunningInstance launch(Deployment deployment) throws InstanceStartException {
        // Replaced silently, they would run on with nothing to stop them; and stopped later, they would take the new
        // entry's routes with them (routes are by deployment id).
        var stale = supervised.remove(deployment.id());
        if (stale != null) {
            LOG.log(
                    Level.WARNING,
                    deployment.id() + " was still supervised when it was launched again: its instances stop first");
            stale.stopAll();
        }
        var entry = new Supervised(deployment, 1);
        var instance = entry.startOne();
        supervised.put(deployment.id(), entry);
        entry.adopt(instance);
        return instance;
    }

    /** Supervises a deployment without starting anything yet (after a restart: the autoscaler decides). */
    public void supervise(Deployment deployment) {
        supervised.put(deployment.id(), new Supervised(deployment, 0));
        listener.readyChanged(deployment, List.of());
    }

    /** The deployments supervised now. */
    public List<Deployment> deployments() {
        return supervised.values().stream().map(s -> s.deployment).toList();
    }

    /** Brings a deployment to {@code desired} instances: starts more, or drains the least busy surplus ones. */
    public void scaleTo(String deploymentId, int desired) {
        var entry = supervised.get(deploymentId);
        if (entry != null) {
            entry.scaleTo(desired);
        }
    }

    /** How many instances of a deployment are ready, starting and draining. */
    public Counts counts(String deploymentId) {
        var entry = supervised.get(deploymentId);
        return entry == null ? new Counts(0, 0, 0) : entry.counts();
    }

    /** Records what a supervised deployment now is (its pins once its first instance reported them, its rollout). */
    public void update(Deployment deployment) {
        var entry = supervised.get(deployment.id());
        if (entry != null) {
            entry.deployment = deployment;
            listener.readyChanged(deployment, entry.readyNow());
        }
    }

    /** Stops supervising a deployment and stops its instances, letting their calls finish. */
    public void retire(String deploymentId) {
        var entry = supervised.remove(deploymentId);
        if (entry != null) {
            entry.stopAll();
        }
    }

    /** Every instance of every supervised deployment, starting and draining ones included. */
    public List<InstanceInfo> instances() {
        var out = new ArrayList<InstanceInfo>();
        supervised.values().forEach(entry -> out.addAll(entry.info()));
        return out;
    }

    @Override
    public void close() {
        closed = true;
        for (var id : List.copyOf(supervised.keySet())) {
            retire(id);
        }
        driver.close();
    }

    /** One deployment's instances. */
    private final class Supervised {
        private volatile Deployment deployment;
        private final List<RunningInstance> ready = new ArrayList<>();
        private final Map<String, RunningInstance> draining = new ConcurrentHashMap<>();
        private final Map<String, Instant> starting = new ConcurrentHashMap<>();
        private int desired;
        private int counter;
        private boolean stopped;
        private Duration backoff = Duration.ZERO;
        private Instant nextStart = Instant.MIN;

        Supervised(Deployment deployment, int desired) {
            this.deployment = deployment;
            this.desired = desired;
        }

        /** Names the next instance and counts it as starting at once, so that no one starts it twice. */
        synchronized String reserveStart() {
            var id = deployment.id() + "-" + (++counter);
            starting.put(id, Instant.now());
            return id;
        }

        RunningInstance startOne() throws InstanceStartException {
            return startOne(reserveStart());
        }

        private RunningInstance startOne(String id) throws InstanceStartException {
            try {
                var instance = driver.start(deployment, id);
                LOG.log(
                        Level.INFO,
                        "instance " + id + " ready in " + instance.coldStart().toMillis() + " ms (pid " + instance.pid()
                                + ", " + instance.address() + ")");
                events.started(deployment, instance);
                return instance;
            } finally {
                starting.remove(id);
            }
        }

        void adopt(RunningInstance instance) {
            List<RunningInstance> now;
            synchronized (this) {
                if (stopped || closed) {
                    Thread.ofVirtual().start(() -> instance.stop(STOP_GRACE));
                    return;
                }
                ready.add(instance);
                backoff = Duration.ZERO;
                now = List.copyOf(ready);
            }
            instance.exited().thenAccept(code -> exited(instance, code));
            listener.readyChanged(deployment, now);
        }

        private void exited(RunningInstance instance, int code) {
            List<RunningInstance> now;
            synchronized (this) {
                if (draining.remove(instance.id()) != null || !ready.remove(instance)) {
                    return; // stopped on purpose
                }
                now = List.copyOf(ready);
            }
            LOG.log(
                    Level.WARNING,
                    "instance " + instance.id() + " of " + deployment.id() + " exited with code " + code
                            + " while serving; it is replaced if still needed");
            events.crashed(deployment, instance);
            listener.readyChanged(deployment, now);
            reconcile();
        }

        synchronized List<RunningInstance> readyNow() {
            return List.copyOf(ready);
        }

        synchronized Counts counts() {
            return new Counts(ready.size(), starting.size(), draining.size());
        }

        void scaleTo(int wanted) {
            synchronized (this) {
                desired = wanted;
            }
            reconcile();
        }

        /** Starts or drains instances until the ready and starting ones match what is desired. */
        void reconcile() {
            List<RunningInstance> toDrain = List.of();
            List<RunningInstance> now = null;
            var toStart = new ArrayList<String>();
            synchronized (this) {
                if (stopped || closed) {
                    return;
                }
                int running = ready.size() + starting.size();
                int missing = Math.max(0, desired - running);
                int surplus = Math.min(ready.size(), running - desired);
                if (surplus > 0) {
                    toDrain = ready.stream()
                            .sorted(Comparator.comparingInt((RunningInstance i) -> inFlight.applyAsInt(i.id())))
                            .limit(surplus)
                            .toList();
                    ready.removeAll(toDrain);
                    toDrain.forEach(i -> draining.put(i.id(), i));
                    now = List.copyOf(ready);
                }
                // After failed starts, wait out the backoff; the next tick tries again.
                if (!Instant.now().isBefore(nextStart)) {
                    for (int i = 0; i < missing; i++) {
                        toStart.add(reserveStart());
                    }
                }
            }
            if (now != null) {
                listener.readyChanged(deployment, now);
                toDrain.forEach(this::drain);
            }
            for (var id : toStart) {
                Thread.ofVirtual().name("start-" + id).start(() -> startInBackground(id));
            }
        }

        private void startInBackground(String id) {
            try {
                adopt(startOne(id));
            } catch (InstanceStartException e) {
                synchronized (this) {
                    backoff = backoff.isZero() ? Duration.ofSeconds(1) : min(backoff.multipliedBy(2), MAX_BACKOFF);
                    nextStart = Instant.now().plus(backoff);
                }
                LOG.log(
                        Level.ERROR,
                        "cannot start an instance of " + deployment.id() + ": " + e.getMessage() + "; trying again in "
                                + backoff.toSeconds() + " s");
            }
        }

        /**
         * Waits until the other gateways have let go of the instance (not while the server closes: they take over
         * then), then, at most the drain timeout, until this gateway has no call in flight on it.
         */
        private void awaitCallsAnswered(RunningInstance instance) {
            try {
                if (!closed && othersLetGo.isPositive()) {
                    Thread.sleep(othersLetGo);
                }
                var deadline = System.nanoTime() + drainTimeout.toNanos();
                while (inFlight.applyAsInt(instance.id()) > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Out of the balancer already; waits for its calls to finish (at most the drain timeout), then stops it. */
        private void drain(RunningInstance instance) {
            LOG.log(
                    Level.INFO,
                    "draining instance " + instance.id() + " (" + inFlight.applyAsInt(instance.id())
                            + " calls in flight)");
            Thread.ofVirtual().name("drain-" + instance.id()).start(() -> {
                awaitCallsAnswered(instance);
                instance.stop(STOP_GRACE);
                draining.remove(instance.id());
                LOG.log(Level.INFO, "instance " + instance.id() + " stopped after draining");
            });
        }

        void stopAll() {
            List<RunningInstance> gone;
            synchronized (this) {
                stopped = true;
                gone = new ArrayList<>(ready);
                gone.addAll(draining.values());
                ready.clear();
            }
            listener.retired(deployment);
            // Out of the routes now: each instance stops once the calls already sent to it are answered (a promoted
            // canary's old primary, a rolled-back canary), or at the drain timeout.
            gone.forEach(instance -> Thread.ofVirtual().start(() -> {
                awaitCallsAnswered(instance);
                instance.stop(STOP_GRACE);
            }));
            for (var instance : gone) {
                instance.exited()
                        .orTimeout(STOP_GRACE.toSeconds() + 5, TimeUnit.SECONDS)
                        .exceptionally(e -> -1)
                        .join();
            }
        }

        List<InstanceInfo> info() {
            var out = new ArrayList<InstanceInfo>();
            List<RunningInstance> readyNow;
            synchronized (this) {
                readyNow = List.copyOf(ready);
            }
            readyNow.forEach(i -> out.add(info(i, InstanceState.READY)));
            draining.values().forEach(i -> out.add(info(i, InstanceState.DRAINING)));
            starting.forEach((id, since) -> out.add(
                    new InstanceInfo(id, deployment.id(), InstanceState.STARTING, -1, "", since, null, 0, null)));
            return out;
        }

        private InstanceInfo info(RunningInstance i, InstanceState state) {
            return new InstanceInfo(
                    i.id(),
                    deployment.id(),
                    state,
                    i.pid(),
                    i.address().getHostString() + ":" + i.address().getPort(),
                    i.startedAt(),
                    i.coldStart(),
                    inFlight.applyAsInt(i.id()),
                    i.coldStartBreakdown());
        }

        private static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }
    }
}
