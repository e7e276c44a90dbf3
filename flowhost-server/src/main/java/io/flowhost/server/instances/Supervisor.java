package io.flowhost.server.instances;

import io.flowhost.server.registry.Deployment;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the instances of each supervised deployment running: starts them through the driver,
 * notices when one dies, and starts a replacement (backing off while they keep dying). Every
 * change of the ready set is reported to the listener, which is how the gateway learns of it.
 */
public final class Supervisor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.instances");
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    /** Told of every change of a deployment's ready instances. */
    public interface Listener {

        /** The deployment's ready instances are now these (none while they start). */
        void readyChanged(Deployment deployment, List<RunningInstance> ready);

        /** The deployment is no longer supervised; its instances are stopping. */
        void retired(Deployment deployment);
    }

    private final InstanceDriver driver;
    private final Listener listener;
    private final Map<String, Supervised> supervised = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public Supervisor(InstanceDriver driver, Listener listener) {
        this.driver = driver;
        this.listener = listener;
    }

    /** Starts the first instance of a deployment and returns once it is ready; it is supervised from then on. */
    public RunningInstance launch(Deployment deployment) throws InstanceStartException {
        var entry = new Supervised(deployment);
        var instance = entry.startOne();
        supervised.put(deployment.id(), entry);
        entry.adopt(instance);
        return instance;
    }

    /** Records what a supervised deployment now is (its pins, once its first instance reported them). */
    public void updatePins(Deployment deployment) {
        var entry = supervised.get(deployment.id());
        if (entry != null) {
            entry.deployment = deployment;
        }
    }

    /** Supervises a deployment and starts its instance in the background (after a server restart). */
    public void restore(Deployment deployment) {
        var entry = new Supervised(deployment);
        supervised.put(deployment.id(), entry);
        listener.readyChanged(deployment, List.of());
        entry.replaceLater(Duration.ZERO);
    }

    /** Stops supervising a deployment and stops its instances, letting their calls finish. */
    public void retire(String deploymentId) {
        var entry = supervised.remove(deploymentId);
        if (entry != null) {
            entry.stopAll();
        }
    }

    /** Every instance of every supervised deployment, starting ones included. */
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
        private final List<RunningInstance> ready = new CopyOnWriteArrayList<>();
        private final Map<String, Instant> starting = new ConcurrentHashMap<>();
        private final AtomicInteger counter = new AtomicInteger();
        private volatile boolean stopped;
        private volatile Duration backoff = Duration.ofSeconds(1);

        Supervised(Deployment deployment) {
            this.deployment = deployment;
        }

        RunningInstance startOne() throws InstanceStartException {
            var id = deployment.id() + "-" + counter.incrementAndGet();
            starting.put(id, Instant.now());
            try {
                var instance = driver.start(deployment, id);
                LOG.log(Level.INFO, "instance " + id + " ready in " + instance.coldStart().toMillis() + " ms (pid "
                        + instance.pid() + ", " + instance.address() + ")");
                return instance;
            } finally {
                starting.remove(id);
            }
        }

        void adopt(RunningInstance instance) {
            if (stopped || closed) {
                instance.stop(STOP_GRACE);
                return;
            }
            ready.add(instance);
            backoff = Duration.ofSeconds(1);
            instance.exited().thenAccept(code -> exited(instance, code));
            listener.readyChanged(deployment, List.copyOf(ready));
        }

        private void exited(RunningInstance instance, int code) {
            if (!ready.remove(instance)) {
                return;
            }
            listener.readyChanged(deployment, List.copyOf(ready));
            if (!stopped && !closed) {
                LOG.log(Level.WARNING, "instance " + instance.id() + " of " + deployment.id() + " exited with code "
                        + code + "; starting a replacement");
                replaceLater(backoff);
            }
        }

        void replaceLater(Duration delay) {
            Thread.ofVirtual().name("start-" + deployment.id()).start(() -> {
                try {
                    Thread.sleep(delay);
                    if (stopped || closed) {
                        return;
                    }
                    adopt(startOne());
                } catch (InstanceStartException e) {
                    backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                    LOG.log(Level.ERROR, "cannot start an instance of " + deployment.id() + ": " + e.getMessage()
                            + "; trying again in " + backoff.toSeconds() + " s");
                    if (!stopped && !closed) {
                        replaceLater(backoff);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        void stopAll() {
            stopped = true;
            var gone = List.copyOf(ready);
            ready.clear();
            listener.retired(deployment);
            gone.forEach(instance -> instance.stop(STOP_GRACE));
        }

        List<InstanceInfo> info() {
            var out = new ArrayList<InstanceInfo>();
            for (var instance : ready) {
                out.add(new InstanceInfo(instance.id(), deployment.id(), InstanceState.READY, instance.pid(),
                        instance.address().getHostString() + ":" + instance.address().getPort(),
                        instance.startedAt(), instance.coldStart()));
            }
            starting.forEach((id, since) -> out.add(new InstanceInfo(id, deployment.id(), InstanceState.STARTING, -1,
                    "", since, null)));
            return out;
        }

        private static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }
    }
}
