package io.flowhost.runtime.internal;

import io.flowhost.domain.service.ServiceDescriptor;
import java.lang.reflect.Constructor;
import java.util.Map;

/**
 * A service class checked and bound: its descriptor, how to construct it, and its endpoints by route.
 *
 * @param descriptor the service as the outside sees it
 * @param constructor the constructor flowhost calls once per instance
 * @param takesContext whether that constructor takes a {@link io.flowhost.sdk.ServiceContext}
 * @param endpoints the endpoints by route name
 */
public record BoundService(
        ServiceDescriptor descriptor,
        Constructor<?> constructor,
        boolean takesContext,
        Map<String, EndpointBinding> endpoints) {

    public BoundService {
        endpoints = Map.copyOf(endpoints);
    }

    public String name() {
        return descriptor.service();
    }

    EndpointBinding endpoint(String route) {
        return endpoints.get(route);
    }
}
