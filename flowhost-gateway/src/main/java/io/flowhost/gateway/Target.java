package io.flowhost.gateway;

import io.flowhost.domain.deployment.Deployment;
import java.util.Set;

/**
 * Where a call goes: its service's route (the deployment serving it, and that deployment's traffic) and
 * the endpoint.
 *
 * @param route the route of the service named
 * @param endpoint the endpoint named
 * @param known whether the deployment has that endpoint, so that its name may label metrics
 */
public record Target(Route route, String endpoint, boolean known) {

    private static final Set<String> MODEL_ROUTES = Set.of("infer", "ready", "metadata");

    /** The target of a call to this endpoint of the route's deployment. */
    public static Target of(Route route, String endpoint) {
        var deployment = route.deployment();
        boolean known = deployment.servesOnnx()
                ? MODEL_ROUTES.contains(endpoint)
                : deployment.descriptor().endpoint(endpoint).isPresent();
        return new Target(route, endpoint, known);
    }

    public Deployment deployment() {
        return route.deployment();
    }
}
