package io.flowhost.server.cluster;

import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.state.Cluster;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The leader's instances, published for every gateway to route to: each change of a deployment's ready instances
 * is written in the leader's term, off the caller's thread; one that could not be written is written again at the
 * next change or {@link #retry()}.
 */
public final class InstancePublisher {

    private static final System.Logger LOG = System.getLogger("flowhost.cluster");

    private final Cluster cluster;
    private final GatewayLink link;
    private final LongSupplier term;
    private final Map<String, List<InstanceAddress>> latest = new ConcurrentHashMap<>();
    private final Set<String> unpublished = ConcurrentHashMap.newKeySet();

    /**
     * @param term the leader's term now, the fencing token each set is published under
     */
    public InstancePublisher(Cluster cluster, GatewayLink link, LongSupplier term) {
        this.cluster = cluster;
        this.link = link;
        this.term = term;
    }

    /** A deployment's ready instances are now these (none: it has none, or it was retired). */
    public void ready(String deploymentId, List<InstanceAddress> ready) {
        latest.put(deploymentId, List.copyOf(ready));
        unpublished.add(deploymentId);
        link.execute(this::publish);
    }

    /** Writes again what could not be written (the database was away). */
    public void retry() {
        if (!unpublished.isEmpty()) {
            link.execute(this::publish);
        }
    }

    private void publish() {
        for (var id : List.copyOf(unpublished)) {
            unpublished.remove(id);
            try {
                cluster.publish(term.getAsLong(), id, latest.get(id));
            } catch (RuntimeException e) {
                unpublished.add(id);
                LOG.log(Level.WARNING, "cannot publish the instances of " + id + " (" + e.getMessage() + ")");
                return;
            }
        }
    }
}
