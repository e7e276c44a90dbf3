package io.flowhost.server.cluster;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.gateway.RouteTable;
import io.flowhost.instances.InstanceDiscovery;
import io.flowhost.state.Cluster;
import io.flowhost.state.DeploymentStore;
import io.flowhost.state.Leadership;
import io.flowhost.state.Leadership.Term;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A follower's routes: every active deployment in the shared state, routed to the ready instances of the current
 * leader's term, as the leader published them or as the platform shows them ({@link InstanceDiscovery}). Instances
 * of an older term belong to a leader that is gone (and go with it), so they route nowhere: calls are held until
 * the new leader's own instances are ready.
 */
public final class RouteSync {

    /** The ready instances of the leader of a term, by deployment id. */
    @FunctionalInterface
    public interface ReadySets {
        Map<String, List<InstanceAddress>> of(long term);
    }

    private record Applied(Deployment deployment, List<InstanceAddress> ready) {}

    private final DeploymentStore deployments;
    private final ReadySets readySets;
    private final Leadership leadership;
    private final RouteTable routes;
    private final Clock clock;
    private final Map<String, Applied> applied = new HashMap<>();
    private boolean stopped;

    public RouteSync(
            DeploymentStore deployments, ReadySets readySets, Leadership leadership, RouteTable routes, Clock clock) {
        this.deployments = deployments;
        this.readySets = readySets;
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
        var sets = readySets.of(term);
        var active = deployments.active();
        var seen = new HashMap<String, Deployment>();
        for (var d : active) {
            seen.put(d.id(), d);
            var ready = sets.getOrDefault(d.id(), List.of());
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

    /** The sets the leaders publish in the shared state: only the current term's count. */
    public static ReadySets published(Cluster cluster) {
        return term -> {
            var sets = new HashMap<String, List<InstanceAddress>>();
            cluster.published().forEach((id, p) -> {
                if (p.term() == term) {
                    sets.put(id, p.ready());
                }
            });
            return sets;
        };
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

    /** Follows again after {@link #stop} (a takeover failed): the next {@link #sync} routes every deployment anew. */
    public synchronized void resume() {
        stopped = false;
    }
}
