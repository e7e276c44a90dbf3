package io.flowhost.gateway;

import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import java.util.Set;

/**
 * Where a call goes: its service's route (the deployment serving it, and that deployment's traffic) and
 * the endpoint.
 *
 * @param route the route of the service named
 * @param endpoint the endpoint named
 * @param known whether the deployment has that endpoint, so that its name may label metrics
 * @param streams whether that endpoint streams its answer
 */
public record Target(Route route, String endpoint, boolean known, boolean streams) {

    private static final Set<String> MODEL_ROUTES = Set.of("infer", "ready", "metadata");

    /** The target of a call to this endpoint of the route's deployment. */
    public static Target of(Route route, String endpoint) {
        var deployment = route.deployment();
        if (deployment.servesOnnx()) {
            return new Target(route, endpoint, MODEL_ROUTES.contains(endpoint), false);
        }
        var described = deployment.descriptor().endpoint(endpoint);
        return new Target(
                route,
                endpoint,
                described.isPresent(),
                described.map(EndpointDescriptor::streams).orElse(false));
    }

    public Deployment deployment() {
        return route.deployment();
    }
}
