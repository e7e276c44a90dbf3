package io.flowhost.server.gateway;

import io.flowhost.runtime.protocol.ServiceDescriptor;
import io.flowhost.server.registry.Deployment;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a service's calls go: the deployment serving it and its ready instances.
 *
 * @param deployment the deployment serving the service; its descriptor lets the gateway answer 404
 *                   and 405 without asking an instance
 * @param backends the ready instances; empty while the first one starts
 */
public record Route(Deployment deployment, List<Backend> backends) {

    public Route {
        backends = List.copyOf(backends);
    }

    ServiceDescriptor descriptor() {
        return deployment.descriptor();
    }

    /**
     * The instance with the fewest calls in flight, chosen between two picked at random ("power of
     * two choices"): nearly as good as scanning all, and it never herds every caller onto one instance.
     */
    Backend pick() {
        int n = backends.size();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return backends.getFirst();
        }
        var random = ThreadLocalRandom.current();
        var a = backends.get(random.nextInt(n));
        var b = backends.get(random.nextInt(n));
        if (a == b) {
            b = backends.get((backends.indexOf(a) + 1) % n);
        }
        return a.inFlight() <= b.inFlight() ? a : b;
    }
}
