package io.flowhost.control.supervise;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.instances.RunningInstance;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the gateway would route, as the supervisor tells it: each routed deployment's ready instances. */
public final class Routes implements Supervisor.Listener {

    private final Map<String, List<RunningInstance>> routed = new ConcurrentHashMap<>();

    @Override
    public void readyChanged(Deployment deployment, List<RunningInstance> ready) {
        routed.put(deployment.id(), List.copyOf(ready));
    }

    @Override
    public void retired(Deployment deployment) {
        routed.remove(deployment.id());
    }

    /** The routed deployments' ready instances, by deployment id. */
    public Map<String, List<RunningInstance>> routed() {
        return Map.copyOf(routed);
    }
}
