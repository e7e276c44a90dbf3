package io.flowhost.gateway;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.instance.InstanceAddress;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The routes by service name, kept up to date from the supervisor. A newer version of a service
 * takes over its route; news of an older one no longer touch it. Lookups never lock.
 */
public final class RouteTable {

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();
    // One Backend per instance for its whole life: it carries the in-flight count and keys the connection pool.
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private volatile Consumer<String> wake = id -> {};

    public RouteTable(InstantSource clock) {
        this.clock = clock;
    }

    /** Who to tell, by deployment id, when a call is held for want of an instance (the autoscaler). */
    public void onWake(Consumer<String> wake) {
        this.wake = wake;
    }

    /** The service's route, or null when no deployment serves it. */
    public Route get(String service) {
        return routes.get(service);
    }

    /** Calls in flight on an instance (0 for an instance the gateway does not know). */
    public int inFlight(String instanceId) {
        var backend = backends.get(instanceId);
        return backend == null ? 0 : backend.inFlight();
    }

    /** A deployment's traffic, if it is routed. */
    public Optional<Traffic> traffic(String deploymentId) {
        return Optional.ofNullable(traffic.get(deploymentId));
    }

    /** Every routed deployment's traffic. */
    public Collection<Traffic> traffics() {
        return List.copyOf(traffic.values());
    }

    private Traffic trafficOf(Deployment deployment) {
        return traffic.computeIfAbsent(deployment.id(), id -> {
            var scaling = deployment.scaling();
            return new Traffic(
                    id, scaling.maxConcurrency(), scaling.maxHeld(), scaling.holdTimeout(), clock, d -> wake.accept(d));
        });
    }

    /** The deployment's instances taking calls are now these (none while they start). */
    public synchronized void readyChanged(Deployment deployment, List<InstanceAddress> ready) {
        var current = routes.get(deployment.service());
        if (current != null && current.deployment().version() > deployment.version()) {
            return;
        }
        var flow = trafficOf(deployment);
        // An id seen at another address is another instance: a new leader counts its instances' ids from 1 again.
        var live = ready.stream()
                .map(i -> backends.compute(
                        i.id(),
                        (id, known) -> known != null && known.address().equals(i.address())
                                ? known
                                : new Backend(id, i.address(), flow)))
                .toList();
        flow.backends().stream().filter(b -> !live.contains(b)).forEach(b -> backends.remove(b.instanceId()));
        flow.setBackends(live);
        if (current == null || !current.deployment().id().equals(deployment.id())) {
            routes.put(deployment.service(), new Route(deployment, flow));
            if (current != null) {
                handOver(current.traffic(), flow);
            }
        } else if (current.deployment() != deployment) {
            routes.put(deployment.service(), new Route(deployment, flow)); // the same version, now with its pins
        }
    }

    /** The deployment no longer serves: its held calls fail, and its service's route goes unless a newer one has it. */
    public synchronized void retired(Deployment deployment) {
        var flow = traffic.remove(deployment.id());
        if (flow == null) {
            return;
        }
        flow.backends().forEach(b -> backends.remove(b.instanceId()));
        flow.setBackends(List.of());
        var current = routes.get(deployment.service());
        if (current != null && current.deployment().id().equals(deployment.id())) {
            routes.remove(deployment.service());
            flow.abandonHeld(call -> call.abandon("service '" + deployment.service() + "' was undeployed while the "
                    + "call waited for an instance"));
        }
    }

    /** Calls held for the version being replaced go to the new one rather than time out. */
    private static void handOver(Traffic from, Traffic to) {
        from.abandonHeld(call -> {
            if (!to.hold(call)) {
                call.abandon("too many calls are waiting for the new version's instances; retry shortly");
            }
        });
    }
}
