package io.flowhost.server;

import java.net.URI;
import java.util.Objects;

/**
 * Instances as pods: where, of which image, and how pods reach the gateways to fetch their jars.
 *
 * @param namespace the namespace the pods go in
 * @param image the generic flowhost instance image (the runtime only; a pod fetches its service's jar)
 * @param gateways how pods reach the gateways, e.g. {@code http://flowhost.serving.svc:8080} (their Service)
 */
public record OnKubernetes(String namespace, String image, URI gateways) {

    public OnKubernetes {
        if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException(
                    "namespace: '" + namespace + "' (expected: a Kubernetes namespace name, e.g. serving)");
        }
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("instance-image: missing (expected: e.g. flowhost/instance:0.1.0)");
        }
        Objects.requireNonNull(gateways, "gateways");
        if (!"http".equals(gateways.getScheme()) && !"https".equals(gateways.getScheme())) {
            throw new IllegalArgumentException(
                    "gateway-url: '" + gateways + "' (expected: http(s)://, how pods reach the gateways)");
        }
    }
}
