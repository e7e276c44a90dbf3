package io.flowhost.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.instances.InstanceStartException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Role of {@code deploy/kubernetes}, rendered by {@code kubectl kustomize}, grants every verb the driver really
 * calls (read off the requests the mock API server received while the driver ran pods through their life) and
 * nothing beyond what it calls.
 */
@EnableKubernetesMockClient(crud = true)
class RoleTest {

    private static final String NAMESPACE = "serving";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void theRoleGrantsExactlyTheVerbsTheDriverCalls() throws Exception {
        var used = verbsTheDriverCalls();
        var granted = granted(role());

        assertThat(granted).as("granted by deploy/kubernetes/role.yaml").containsAll(used);
        assertThat(used).as("called by the driver").containsAll(granted);
    }

    private Set<String> verbsTheDriverCalls() throws Exception {
        var instances = new ReadyzStub("{\"status\": \"ready\", \"pins\": {}}");
        var driver = new KubernetesDriver(
                client,
                new KubernetesSettings(
                        NAMESPACE, "flowhost/instance:test", URI.create("http://flowhost"), instances.port(), 1024),
                (jar, className) -> {
                    throw new AssertionError("not described here");
                },
                id -> "t-" + id);
        var deployment = new Deployment(
                "echo-v1",
                "echo",
                1,
                "ab",
                Path.of("echo.jar"),
                new ServiceDescriptor("echo", "Echo", List.of()),
                Map.of(),
                Deployment.State.ACTIVE,
                Instant.EPOCH,
                Map.of(),
                null,
                ScalingSettings.defaults().with(Map.of("startup-timeout", "60s")),
                Retention.defaults());
        try (var starts = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var id : List.of("echo-v1-1", "echo-v1-2")) { // the second updates the deployment's Secret
                var started = CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return driver.start(deployment, id);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        starts);
                var pod = await().atMost(Duration.ofSeconds(30))
                        .until(
                                () -> client
                                        .pods()
                                        .inNamespace(NAMESPACE)
                                        .withLabel(KubernetesSettings.INSTANCE, id)
                                        .list()
                                        .getItems()
                                        .stream()
                                        .findFirst()
                                        .orElse(null),
                                p -> p != null);
                pod.setStatus(new PodStatusBuilder()
                        .withPodIP(ReadyzStub.POD_IP)
                        .withConditions(new PodConditionBuilder()
                                .withType("Ready")
                                .withStatus("True")
                                .build())
                        .build());
                client.pods().inNamespace(NAMESPACE).resource(pod).updateStatus();
                var instance = started.get(30, TimeUnit.SECONDS);
                // Its cold start's parts are read from the pod's events once it is ready.
                await().atMost(Duration.ofSeconds(30)).until(() -> instance.coldStartBreakdown() != null);
                instance.stop(Duration.ofSeconds(1));
            }
        }
        // A pod never ready: the driver reads it to say why before it deletes it.
        var impatient = new Deployment(
                deployment.id(),
                deployment.service(),
                1,
                deployment.jarSha256(),
                deployment.jar(),
                deployment.descriptor(),
                Map.of(),
                Deployment.State.ACTIVE,
                Instant.EPOCH,
                Map.of(),
                null,
                ScalingSettings.defaults().with(Map.of("startup-timeout", "1s")),
                Retention.defaults());
        assertThatThrownBy(() -> driver.start(impatient, "echo-v1-3")).isInstanceOf(InstanceStartException.class);
        driver.close();
        instances.close();

        var used = new TreeSet<String>();
        int count = server.getRequestCount();
        for (int i = 0; i < count; i++) {
            var request = server.takeRequest(5, TimeUnit.SECONDS);
            var path = request.getPath();
            if (path.contains("/status")) {
                continue; // this test's kubelet, not the driver
            }
            var resource = path.contains("/secrets") ? "secrets" : path.contains("/events") ? "events" : "pods";
            var verb = switch (request.getMethod()) {
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default ->
                    path.contains("watch=true")
                            ? "watch"
                            : path.matches(".*/(pods|secrets|events)(\\?.*)?$") ? "list" : "get";
            };
            used.add(resource + ":" + verb);
        }
        return used;
    }

    /** The Role as {@code kubectl kustomize deploy/kubernetes} renders it. */
    private Role role() throws IOException, InterruptedException {
        var root = Path.of("..").toAbsolutePath().normalize();
        var kubectl = new ProcessBuilder(
                        "kubectl",
                        "kustomize",
                        root.resolve("deploy/kubernetes").toString())
                .redirectErrorStream(true)
                .start();
        var rendered = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.waitFor()).as(rendered).isZero();
        return client.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items().stream()
                .filter(Role.class::isInstance)
                .map(Role.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Role in deploy/kubernetes:\n" + rendered));
    }

    private static Set<String> granted(Role role) {
        var granted = new TreeSet<String>();
        for (var rule : role.getRules()) {
            for (var resource : rule.getResources()) {
                for (var verb : rule.getVerbs()) {
                    granted.add(resource + ":" + verb);
                }
            }
        }
        return granted;
    }
}
