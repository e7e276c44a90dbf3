package io.flowhost.gateway;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.domain.rollout.Variant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The routes by service name, kept up to date from the supervisor. A service's newest primary takes its route (news
 * of an older one no longer move it) and, while a version rolls out beside it, that canary or shadow has a route of
 * its own. Lookups never lock.
 */
public final class RouteTable {

    private final Map<String, Routing> routings = new ConcurrentHashMap<>();
    // Every routed deployment's own route; guarded by this table's lock, read only to work out the routings.
    private final Map<String, Route> routes = new HashMap<>();
    private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();
    // One Backend per instance for its whole life: it carries the in-flight count and keys the connection pool.
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();
    // Instances out of the routes with calls still in flight: their count is what a drain waits on.
    private final Map<String, Backend> leaving = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private volatile Consumer<String> wake = id -> {};

    public RouteTable(InstantSource clock) {
        this.clock = clock;
    }

    /** Who to tell, by deployment id, when a call is held for want of an instance (the autoscaler). */
    public void onWake(Consumer<String> wake) {
        this.wake = wake;
    }

    /** The route of the service's primary, or null when no deployment serves it. */
    public Route get(String service) {
        var routing = routings.get(service);
        return routing == null ? null : routing.primary();
    }

    /** The service's routing (its primary and the version rolling out beside it), or null when nothing serves it. */
    public Routing routing(String service) {
        return routings.get(service);
    }

    /** Calls in flight on an instance (0 for an instance the gateway does not know). */
    public int inFlight(String instanceId) {
        var backend = backends.get(instanceId);
        if (backend != null) {
            return backend.inFlight();
        }
        var gone = leaving.get(instanceId);
        if (gone == null) {
            return 0;
        }
        int left = gone.inFlight();
        if (left == 0) {
            leaving.remove(instanceId, gone);
        }
        return left;
    }

    /**
     * Forgets an instance already off its traffic's list, remembering it while calls sent to it are still in flight.
     * Remembered before it is forgotten, so that a drain asking meanwhile finds it in one or the other.
     */
    private void leave(Backend backend) {
        // Those whose calls have all been answered go now: only a drain asks after an instance, and on a follower,
        // where nothing drains, they would otherwise stay for good, each with its deployment's traffic.
        leaving.values().removeIf(gone -> gone.inFlight() == 0);
        if (backend.retire() > 0) {
            leaving.put(backend.instanceId(), backend);
        }
        backends.remove(backend.instanceId(), backend);
    }

    /** How many instances out of the routes are remembered for calls still in flight on them. */
    int leavingCount() {
        return leaving.size();
    }

    /** A deployment's traffic, if it is routed. */
    public Optional<Traffic> traffic(String deploymentId) {
        return Optional.ofNullable(traffic.get(deploymentId));
    }

    /**
     * The traffic a queued call of the deployment runs on: its own while it is routed, else (a version replaced since it
     * accepted the call) its service's primary's, where the gateway sends such a call; empty when the service is gone.
     */
    public Optional<Traffic> trafficOfQueued(String deploymentId) {
        var own = traffic.get(deploymentId);
        if (own != null) {
            return Optional.of(own);
        }
        var now = routings.get(Deployment.serviceOf(deploymentId));
        return now == null ? Optional.empty() : Optional.of(now.primary().traffic());
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

    /** The deployment's instances taking calls are now these (none while they start), and what it now is. */
    public synchronized void readyChanged(Deployment deployment, List<InstanceAddress> ready) {
        var known = routes.get(deployment.id());
        var current = routings.get(deployment.service());
        if (known == null
                && current != null
                && deployment.variant() == Variant.PRIMARY
                && current.primary().deployment().version() > deployment.version()) {
            return; // late news of a version already replaced
        }
        var flow = trafficOf(deployment);
        // An id seen at another address is another instance: a new leader counts its instances' ids from 1 again.
        var live = ready.stream()
                .map(i -> backends.compute(
                        i.id(),
                        (id, seen) -> seen != null
                                        && seen.address().equals(i.address())
                                        && Objects.equals(seen.socket(), i.socket())
                                ? seen
                                : new Backend(id, i.address(), i.socket(), flow)))
                .toList();
        var gone = flow.backends().stream().filter(b -> !live.contains(b)).toList();
        flow.setBackends(live); // off the list new calls pick from first, then retired: see Backend.tryReserve
        gone.forEach(this::leave);
        if (known == null || known.deployment() != deployment) {
            routes.put(deployment.id(), new Route(deployment, flow)); // new, or the same version with its pins or share
        }
        reroute(deployment.service());
    }

    /** The deployment no longer serves: its held calls go to its service's primary, or fail when none is left. */
    public synchronized void retired(Deployment deployment) {
        var flow = traffic.remove(deployment.id());
        routes.remove(deployment.id());
        if (flow == null) {
            return;
        }
        var gone = flow.backends();
        flow.setBackends(List.of());
        gone.forEach(this::leave);
        reroute(deployment.service());
        var now = routings.get(deployment.service());
        flow.retire(
                now == null
                        ? call -> call.abandon("service '" + deployment.service() + "' was undeployed while the "
                                + "call waited for an instance")
                        : handedTo(now.primary().traffic()));
    }

    /**
     * Works the service's routing out again: its newest primary, and the newest canary or shadow beside it. Calls
     * held for a primary that another replaced go to the new one.
     */
    private void reroute(String service) {
        Route primary = null;
        Route other = null;
        for (var route : routes.values()) {
            var d = route.deployment();
            if (!d.service().equals(service)) {
                continue;
            }
            if (d.variant() == Variant.PRIMARY) {
                primary = newer(primary, route);
            } else {
                other = newer(other, route);
            }
        }
        var before = routings.get(service);
        if (primary == null) {
            // A canary's first instance can be ready before its primary is routed again (after a restart): the
            // service is not routed until the primary is.
            routings.remove(service);
            return;
        }
        routings.put(service, other == null ? Routing.of(primary) : Routing.of(primary, other));
        if (before != null && before.primary().traffic() != primary.traffic()) {
            handOver(before.primary().traffic(), primary.traffic());
        }
    }

    private static Route newer(Route known, Route candidate) {
        return known == null
                        || candidate.deployment().version() > known.deployment().version()
                ? candidate
                : known;
    }

    /** Calls held for the version being replaced go to the new one rather than time out. */
    private static void handOver(Traffic from, Traffic to) {
        from.abandonHeld(handedTo(to));
    }

    /** Holds a call for another deployment's instances, or fails it when too many wait there already. */
    private static Consumer<Held> handedTo(Traffic to) {
        return call -> {
            if (!to.hold(call)) {
                call.abandon("too many calls are waiting for the new version's instances; retry shortly");
            }
        };
    }
}
