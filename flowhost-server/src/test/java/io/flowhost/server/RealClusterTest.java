package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end on a real Kubernetes cluster: a gateway on this machine with {@code --driver kubernetes} deploys echo,
 * calls it on a pod, lets it scale to zero and wakes it with a call. Runs only when {@code KUBECONFIG} points at a
 * cluster; what else it needs is in {@link #IMAGE}, {@link #GATEWAY_HOST} and {@link #NAMESPACE}, and README's "Run
 * on Kubernetes" says how to give it a kind cluster. Skipped, and saying so in the report, otherwise.
 */
@Tag("e2e")
@Tag("kubernetes-cluster")
@EnabledIfEnvironmentVariable(
        named = "KUBECONFIG",
        matches = ".+",
        disabledReason = "no KUBECONFIG: the real-cluster tests did not run (see README, Run on Kubernetes)")
class RealClusterTest {

    /** The instance image, built from deploy/docker/instance.Dockerfile and pullable by the cluster's nodes. */
    static final String IMAGE = "FLOWHOST_TEST_IMAGE";

    /** This machine's address as the pods see it (kind on Linux: the docker bridge, e.g. 172.18.0.1). */
    static final String GATEWAY_HOST = "FLOWHOST_TEST_GATEWAY_HOST";

    /** The namespace to run pods in (default {@code flowhost-test}); it must exist. */
    static final String NAMESPACE = "FLOWHOST_TEST_NAMESPACE";

    /** The gateway's port: pods fetch their jar from it, so it is fixed (default 18080). */
    static final String PORT = "FLOWHOST_TEST_GATEWAY_PORT";

    /** A pod is scheduled, its image pulled and started: minutes on a cold node. */
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private static int port() {
        return Integer.parseInt(Objects.requireNonNullElse(System.getenv(PORT), "18080"));
    }

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(s -> s.withHost("0.0.0.0")
            .withInsecure(true) // a throwaway namespace, for the length of the test
            .withPort(port())
            .withKubernetes(new OnKubernetes(
                    Objects.requireNonNullElse(System.getenv(NAMESPACE), "flowhost-test"),
                    required(IMAGE),
                    URI.create("http://" + required(GATEWAY_HOST) + ":" + port()))));

    private Http http;

    private static String required(String variable) {
        var value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("KUBECONFIG is set, so the real-cluster tests run, and they need "
                    + variable + " too (see README, Run on Kubernetes)");
        }
        return value;
    }

    @BeforeEach
    void client() {
        http = flowhost.http();
    }

    private JsonNode status() {
        return Http.json(http.get("/v1/status/echo")).path("services").path(0);
    }

    private List<String> instances() {
        var out = new ArrayList<String>();
        status().path("instances").forEach(i -> out.add(i.path("state").asText()));
        return out;
    }

    @Test
    void echoIsServedByAPodScalesToZeroAndWakesOnACall() {
        flowhost.deploy(TestJars.exampleBytes("echo"), ScalingTest.QUICK + "&idle-timeout=10s&startup-timeout=300s");

        var first = http.postJson("/v1/services/echo/echo", "{\"on\": \"a pod\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("a pod");
        var started = status().path("instances").path(0);
        assertThat(started.path("pid").asLong()).as("a pod, not a process").isEqualTo(-1);

        await().atMost(PATIENCE).until(() -> instances().isEmpty());
        assertThat(status().path("lastDecision").path("reason").asText()).contains("idle");

        var woken = http.postJson("/v1/services/echo/echo", "{\"woken\": true}");
        assertThat(woken.statusCode()).as(woken.body()).isEqualTo(200);
        await().atMost(PATIENCE)
                .until(() -> status().path("instances")
                        .path(0)
                        .path("coldStartBreakdownMs")
                        .has("scheduled"));
        System.out.println("cold start on the cluster: "
                + status().path("instances").path(0).path("coldStartBreakdownMs"));
    }
}
