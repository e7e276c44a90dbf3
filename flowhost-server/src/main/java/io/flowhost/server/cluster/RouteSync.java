package io.flowhost.server.cluster;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.gateway.RouteTable;
import io.flowhost.state.Cluster;
import io.flowhost.state.DeploymentStore;
import io.flowhost.state.Leadership;
import io.flowhost.state.Leadership.Term;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A follower's routes, read from the shared state: every active deployment, routed to the instances the current
 * leader published. A set published in an older term than the current leader's belongs to a leader that is gone
 * (its instances went with it), so it routes nowhere: calls are held until the new leader publishes its own.
 */
public final class RouteSync {

    private record Applied(Deployment deployment, List<InstanceAddress> ready) {}

    private final DeploymentStore deployments;
    private final Cluster cluster;
    private final Leadership leadership;
    private final RouteTable routes;
    private final Clock clock;
    private final Map<String, Applied> applied = new HashMap<>();
    private boolean stopped;

    public RouteSync(
            DeploymentStore deployments, Cluster cluster, Leadership leadership, RouteTable routes, Clock clock) {
        this.deployments = deployments;
        this.cluster = cluster;
        this.leadership = leadership;
        this.routes = routes;
        this.clock = clock;
    }

    /** Reads the deployments and instances again and routes by them. */
    public synchronized void sync() {
        if (stopped) {
            return;
        }
        long term = leadership.leader(clock.instant()).map(Term::number).orElse(-1L);
        var published = cluster.published();
        var active = deployments.active();
        var seen = new HashMap<String, Deployment>();
        for (var d : active) {
            seen.put(d.id(), d);
            var p = published.get(d.id());
            var ready = p != null && p.term() == term ? p.ready() : List.<InstanceAddress>of();
            var now = new Applied(d, ready);
            if (!now.equals(applied.get(d.id()))) {
                routes.readyChanged(d, ready);
                applied.put(d.id(), now);
            }
        }
        for (var it = applied.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!seen.containsKey(e.getKey())) {
                routes.retired(e.getValue().deployment());
                it.remove();
            }
        }
    }

    /**
     * Stops following (this gateway now leads, and its own instances will be routed as they become ready): the
     * instances of the leader that is gone are routed no more, so calls are held until then.
     */
    public synchronized void stop() {
        stopped = true;
        applied.values().forEach(a -> routes.readyChanged(a.deployment(), List.of()));
        applied.clear();
    }
}
