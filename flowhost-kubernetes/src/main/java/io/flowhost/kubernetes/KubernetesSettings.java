package io.flowhost.kubernetes;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What the Kubernetes driver needs to know: where its pods go and what they run.
 *
 * @param namespace the namespace the driver creates its pods in
 * @param image the generic flowhost instance image: the runtime only, no service in it
 * @param server where a pod fetches its deployment's jar from: the gateways' Service, e.g. {@code http://flowhost}
 * @param port the port an instance listens on in its pod
 * @param maxBody the largest request body an instance accepts, in bytes
 */
public record KubernetesSettings(String namespace, String image, URI server, int port, int maxBody) {

    /** Labels every pod the driver owns, so that it (and nothing else) lists, watches and deletes them. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    /** The deployment a pod runs. */
    public static final String DEPLOYMENT = "flowhost.io/deployment";

    /** The instance id a pod is. */
    public static final String INSTANCE = "flowhost.io/instance";

    /**
     * The leader term a pod was started in: followers route to the current leader's pods only, and a new leader
     * deletes those of the leaders before it.
     */
    public static final String TERM = "flowhost.io/term";

    /** How long a readiness probe waits between checks: an instance is ready within this of being so. */
    static final Duration PROBE_PERIOD = Duration.ofSeconds(1);

    public KubernetesSettings {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(server, "server");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
    }
}
