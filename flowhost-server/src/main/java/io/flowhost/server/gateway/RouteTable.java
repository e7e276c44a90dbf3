package io.flowhost.server.gateway;

import io.flowhost.server.instances.RunningInstance;
import io.flowhost.server.instances.Supervisor;
import io.flowhost.server.registry.Deployment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The routes by service name, kept up to date from the supervisor. A route is replaced whole on
 * every change, so the gateway reads it without locks; a newer version of a service takes over
 * its route, and an older one's news no longer touch it.
 */
public final class RouteTable implements Supervisor.Listener {

    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    // One Backend per instance for its whole life: it carries the in-flight count and keys the connection pool.
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();

    /** The service's route, or null when no deployment serves it. */
    public Route get(String service) {
        return routes.get(service);
    }

    @Override
    public synchronized void readyChanged(Deployment deployment, List<RunningInstance> ready) {
        var current = routes.get(deployment.service());
        if (current != null && current.deployment().version() > deployment.version()) {
            return;
        }
        var live = ready.stream()
                .map(i -> backends.computeIfAbsent(i.id(), id -> new Backend(id, i.address())))
                .toList();
        if (current != null) {
            current.backends().stream().filter(b -> !live.contains(b)).forEach(b -> backends.remove(b.instanceId()));
        }
        routes.put(deployment.service(), new Route(deployment, live));
    }

    @Override
    public synchronized void retired(Deployment deployment) {
        var current = routes.get(deployment.service());
        if (current != null && current.deployment().id().equals(deployment.id())) {
            routes.remove(deployment.service());
            current.backends().forEach(b -> backends.remove(b.instanceId()));
        }
    }
}
