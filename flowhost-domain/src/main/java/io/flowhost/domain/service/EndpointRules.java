package io.flowhost.domain.service;

import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;

/**
 * The rules a call must follow to reach an endpoint, the same words at the gateway and at the instance: the
 * endpoint exists, the method is the endpoint's, a body is JSON, and the mode is one the endpoint allows.
 */
public final class EndpointRules {

    private EndpointRules() {}

    /** The endpoint a call reaches, or the exception saying why it cannot. */
    public static EndpointDescriptor check(
            ServiceDescriptor service, String endpointName, String method, String contentType) {
        var endpoint = service.endpoint(endpointName)
                .orElseThrow(() -> new UnknownEndpointException("service '" + service.service()
                        + "' has no endpoint '" + endpointName + "'; it has "
                        + service.endpoints().stream()
                                .map(EndpointDescriptor::name)
                                .toList()));
        if (!method.equals(endpoint.method())) {
            throw new MethodNotAllowedException(
                    "endpoint '" + endpointName + "' of '" + service.service() + "' is called with " + endpoint.method()
                            + ", not " + method,
                    endpoint.method());
        }
        if (endpoint.method().equals("POST") && !MediaTypes.isJson(contentType)) {
            throw new UnsupportedMediaTypeException("endpoint '" + endpointName + "' takes application/json, not "
                    + contentType + "; send Content-Type: application/json");
        }
        return endpoint;
    }

    /** Checks that the endpoint may be called this way: queued ({@code async}) or answered now ({@code sync}). */
    public static void checkMode(String service, EndpointDescriptor endpoint, boolean queued) {
        if (queued && !endpoint.allows("async")) {
            throw new WrongModeException("endpoint '" + endpoint.name() + "' of '" + service
                    + "' is sync-only: call it without Prefer: respond-async");
        }
        if (!queued && !endpoint.allows("sync")) {
            throw new WrongModeException("endpoint '" + endpoint.name() + "' of '" + service
                    + "' is async-only: send Prefer: respond-async (or ?async=true) and fetch the result from the"
                    + " Location it answers");
        }
    }
}
