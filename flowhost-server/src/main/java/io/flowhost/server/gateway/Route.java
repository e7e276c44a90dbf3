package io.flowhost.server.gateway;

import io.flowhost.runtime.protocol.ServiceDescriptor;
import io.flowhost.server.registry.Deployment;

/**
 * Where a service's calls go: the deployment serving it and that deployment's traffic.
 *
 * @param deployment the deployment serving the service; its descriptor lets the gateway answer 404
 *                   and 405 without asking an instance
 * @param traffic its ready instances, held calls and demand
 */
public record Route(Deployment deployment, Traffic traffic) {

    ServiceDescriptor descriptor() {
        return deployment.descriptor();
    }
}
