package io.flowhost.gateway;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.service.ServiceDescriptor;

/**
 * Where a service's calls go: the deployment serving it and that deployment's traffic.
 *
 * @param deployment the deployment serving the service; its descriptor lets the gateway answer 404
 *                   and 405 without asking an instance
 * @param traffic its ready instances, held calls and demand
 * @param run the Metaflow run it serves, {@code Flow/run}, or null: worked out once here, not on every call
 */
public record Route(Deployment deployment, Traffic traffic, String run) {

    /** The route of a deployment, with the run it serves taken from its pins. */
    public Route(Deployment deployment, Traffic traffic) {
        this(deployment, traffic, runOf(deployment));
    }

    private static String runOf(Deployment deployment) {
        var pins = deployment.pins();
        if (pins.isEmpty()) {
            return null;
        }
        var first = pins.entrySet().iterator().next();
        int query = first.getKey().indexOf('?');
        return (query < 0 ? first.getKey() : first.getKey().substring(0, query)) + "/" + first.getValue();
    }

    ServiceDescriptor descriptor() {
        return deployment.descriptor();
    }
}
