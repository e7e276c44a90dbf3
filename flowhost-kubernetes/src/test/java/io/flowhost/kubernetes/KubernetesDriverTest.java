package io.flowhost.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.Resources;
import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.instances.InstanceStartException;
import io.flowhost.instances.RunningInstance;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver against fabric8's Kubernetes mock server in CRUD mode: a real API over HTTP that stores what it is
 * sent. No kubelet runs there, so this test plays one: it marks pods scheduled, waiting, ready or failed, as a
 * kubelet would report them.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesDriverTest {

    private static final String NAMESPACE = "serving";
    private static final Duration WITHIN = Duration.ofSeconds(30); // a loaded machine; it takes milliseconds

    KubernetesMockServer server;
    KubernetesClient client;

    private KubernetesDriver driver;
    private final ReadyzStub instances = new ReadyzStub("{\"status\": \"ready\", \"pins\": {\"Flow2\": \"7\"}}");
    private final ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void open() {
        driver = new KubernetesDriver(
                client,
                new KubernetesSettings(
                        NAMESPACE,
                        "flowhost/instance:test",
                        URI.create("http://flowhost.serving"),
                        instances.port(),
                        1 << 20),
                (jar, className) -> {
                    throw new AssertionError("not described here");
                },
                id -> "token-of-" + id);
    }

    @AfterEach
    void close() {
        driver.close();
        starts.shutdownNow();
        instances.close();
    }

    static Deployment echo(String startupTimeout) {
        return new Deployment(
                "echo-v1",
                "echo",
                1,
                "ab12",
                Path.of("/data/jars/ab12.jar"),
                new ServiceDescriptor(
                        "echo",
                        "io.flowhost.examples.echo.EchoService",
                        List.of(new EndpointDescriptor("echo", "POST", "Map", "Map", ""))),
                Map.of("greeting", "hi"),
                Deployment.State.ACTIVE,
                Instant.EPOCH,
                Map.of("IrisFlow", "42"),
                null,
                ScalingSettings.defaults().with(Map.of("startup-timeout", startupTimeout)),
                Retention.defaults());
    }

    private CompletableFuture<RunningInstance> start(Deployment deployment, String instanceId) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return driver.start(deployment, instanceId);
                    } catch (InstanceStartException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                },
                starts);
    }

    private Pod created(String instanceId) {
        return await().atMost(WITHIN)
                .until(
                        () -> client
                                .pods()
                                .inNamespace(NAMESPACE)
                                .withLabel(KubernetesSettings.INSTANCE, instanceId)
                                .list()
                                .getItems()
                                .stream()
                                .findFirst()
                                .orElse(null),
                        p -> p != null);
    }

    /** What a kubelet reports: the pod's status replaced by {@code status}. */
    private void report(Pod pod, UnaryOperator<PodStatusBuilder> status) {
        var current = client.pods()
                .inNamespace(NAMESPACE)
                .withName(pod.getMetadata().getName())
                .get();
        current.setStatus(status.apply(new PodStatusBuilder()).build());
        client.pods().inNamespace(NAMESPACE).resource(current).updateStatus();
    }

    private void ready(Pod pod, String ip) {
        report(
                pod,
                s -> s.withPhase("Running")
                        .withPodIP(ip)
                        .withConditions(new PodConditionBuilder()
                                .withType("Ready")
                                .withStatus("True")
                                .build()));
    }

    @Test
    void aStartedInstanceIsAPodOfTheInstanceImageReadyAtItsPodIp() throws Exception {
        var starting = start(echo("60s"), "echo-v1-1");
        var pod = created("echo-v1-1");

        assertThat(pod.getMetadata().getName()).matches("echo-v1-1-[a-z0-9]{5}");
        assertThat(pod.getMetadata().getLabels())
                .containsEntry(KubernetesSettings.MANAGED_BY, "flowhost")
                .containsEntry(KubernetesSettings.DEPLOYMENT, "echo-v1");
        var spec = pod.getSpec();
        assertThat(spec.getRestartPolicy()).isEqualTo("Never");
        var container = spec.getContainers().getFirst();
        assertThat(container.getImage()).isEqualTo("flowhost/instance:test");
        assertThat(container.getArgs())
                .containsSequence("--jar-url", "http://flowhost.serving/v1/deployments/echo-v1/jar")
                .containsSequence("--jar-sha256", "ab12")
                .containsSequence("--class", "io.flowhost.examples.echo.EchoService")
                .containsSequence("--port", Integer.toString(instances.port()))
                .containsSequence("--pin", "IrisFlow=42")
                .containsSequence("--set", "greeting=hi");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        var token = container.getEnv().getFirst();
        assertThat(token.getName()).isEqualTo("FLOWHOST_DEPLOYMENT_TOKEN");
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("flowhost-echo-v1");
        assertThat(container.getEnv())
                .as("the service's table lookups go to the gateways")
                .anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo("FLOWHOST_GATEWAY_URL");
                    assertThat(env.getValue()).isEqualTo("http://flowhost.serving");
                });
        var secret = client.secrets()
                .inNamespace(NAMESPACE)
                .withName("flowhost-echo-v1")
                .get();
        assertThat(secret.getData().get("token"))
                .as("the token, in the Secret only")
                .isEqualTo(Base64.getEncoder().encodeToString("token-of-echo-v1".getBytes(StandardCharsets.UTF_8)));
        assertThat(container.getArgs()).noneMatch(a -> a.contains("token-of"));
        assertThat(starting).isNotDone();

        assertThat(container.getLifecycle().getPreStop().getSleep().getSeconds())
                .isEqualTo(2);

        ready(pod, ReadyzStub.POD_IP);

        var instance = starting.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertThat(instance.id()).isEqualTo("echo-v1-1");
        assertThat(instance.address().getHostString()).isEqualTo(ReadyzStub.POD_IP);
        assertThat(instance.address().getPort()).isEqualTo(instances.port());
        assertThat(instance.pid()).isEqualTo(-1);
        assertThat(instance.pins()).as("read from its /readyz").containsExactly(Map.entry("Flow2", "7"));
    }

    @Test
    void aGpuDeploymentsPodsAskForItsGpusAndLandOnlyWhereItSays() throws Exception {
        var gpu = echo("60s")
                .withResources(Resources.none()
                        .with(Map.of(
                                "cpu", "2",
                                "memory", "8Gi",
                                "gpu", "1",
                                "node-selector", "pool=gpu",
                                "tolerations", "nvidia.com/gpu=present:NoSchedule,spot:NoExecute")));
        var starting = start(gpu, "echo-v1-1");
        var spec = created("echo-v1-1").getSpec();

        var resources = spec.getContainers().getFirst().getResources();
        assertThat(resources.getRequests())
                .containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("8Gi"));
        assertThat(resources.getLimits())
                .containsEntry("memory", new Quantity("8Gi"))
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(spec.getNodeSelector()).containsExactly(Map.entry("pool", "gpu"));
        assertThat(spec.getTolerations())
                .extracting(t -> t.getKey() + " " + t.getOperator() + " " + t.getValue() + " " + t.getEffect())
                .containsExactly("nvidia.com/gpu Equal present NoSchedule", "spot Exists null NoExecute");
        starting.cancel(true);
    }

    @Test
    void aPodNotReadyInTimeIsDeletedAndItsStatusSaysWhy() {
        var starting = start(echo("2s"), "echo-v1-1");
        var pod = created("echo-v1-1");
        report(
                pod,
                s -> s.withPhase("Pending")
                        .withContainerStatuses(new ContainerStatusBuilder()
                                .withName("instance")
                                .withState(new ContainerStateBuilder()
                                        .withNewWaiting()
                                        .withReason("ImagePullBackOff")
                                        .withMessage("Back-off pulling image \"flowhost/instance:test\"")
                                        .endWaiting()
                                        .build())
                                .build()));

        assertThat(starting)
                .failsWithin(WITHIN)
                .withThrowableThat()
                .withMessageContaining("not ready within 2 s")
                .withMessageContaining("ImagePullBackOff");
        await().atMost(WITHIN)
                .until(() -> client.pods()
                                .inNamespace(NAMESPACE)
                                .withName(pod.getMetadata().getName())
                                .get()
                        == null);
    }

    @Test
    void anUnschedulablePodSaysSo() {
        var starting = start(echo("2s"), "echo-v1-1");
        var pod = created("echo-v1-1");
        report(
                pod,
                s -> s.withPhase("Pending")
                        .withConditions(new PodConditionBuilder()
                                .withType("PodScheduled")
                                .withStatus("False")
                                .withReason("Unschedulable")
                                .withMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.")
                                .build()));

        assertThat(starting)
                .failsWithin(WITHIN)
                .withThrowableThat()
                .withMessageContaining("cannot be scheduled")
                .withMessageContaining("Insufficient nvidia.com/gpu");
    }

    @Test
    void aStoppedInstancesPodIsDeletedAndItIsReportedGone() throws Exception {
        var starting = start(echo("60s"), "echo-v1-1");
        var pod = created("echo-v1-1");
        ready(pod, ReadyzStub.POD_IP);
        var instance = starting.get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        instance.stop(Duration.ofSeconds(5));

        assertThat(instance.exited()).succeedsWithin(WITHIN);
        assertThat(client.pods()
                        .inNamespace(NAMESPACE)
                        .withName(pod.getMetadata().getName())
                        .get())
                .isNull();
    }

    @Test
    void aPodThatFailsIsReportedGoneWithItsContainersExitCode() throws Exception {
        var starting = start(echo("60s"), "echo-v1-1");
        var pod = created("echo-v1-1");
        ready(pod, ReadyzStub.POD_IP);
        var instance = starting.get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        report(
                pod,
                s -> s.withPhase("Failed")
                        .withPodIP(ReadyzStub.POD_IP)
                        .withContainerStatuses(new ContainerStatusBuilder()
                                .withName("instance")
                                .withState(new ContainerStateBuilder()
                                        .withNewTerminated()
                                        .withExitCode(3)
                                        .withReason("Error")
                                        .endTerminated()
                                        .build())
                                .build()));

        assertThat(instance.exited()).succeedsWithin(WITHIN).isEqualTo(3);
    }

    @Test
    void aPodThatEndsBeforeItIsReadyFailsTheStartSayingHow() {
        var starting = start(echo("60s"), "echo-v1-1");
        var pod = created("echo-v1-1");

        report(
                pod,
                s -> s.withPhase("Failed")
                        .withContainerStatuses(new ContainerStatusBuilder()
                                .withName("instance")
                                .withState(new ContainerStateBuilder()
                                        .withNewTerminated()
                                        .withExitCode(2)
                                        .withReason("Error")
                                        .endTerminated()
                                        .build())
                                .build()));

        assertThat(starting)
                .failsWithin(WITHIN)
                .withThrowableThat()
                .withMessageContaining("ended before it was ready")
                .withMessageContaining("exit code 2");
    }

    @Test
    void closingTheDriverDeletesEveryPodItStarted() throws Exception {
        var first = start(echo("60s"), "echo-v1-1");
        ready(created("echo-v1-1"), ReadyzStub.POD_IP);
        first.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
        var second = start(echo("60s"), "echo-v1-2");
        ready(created("echo-v1-2"), ReadyzStub.POD_IP);
        second.get(WITHIN.toSeconds(), TimeUnit.SECONDS);

        driver.close();

        await().atMost(WITHIN)
                .until(() -> client.pods()
                        .inNamespace(NAMESPACE)
                        .withLabel(KubernetesSettings.MANAGED_BY, "flowhost")
                        .list()
                        .getItems()
                        .isEmpty());
        assertThat(client.secrets()
                        .inNamespace(NAMESPACE)
                        .withName("flowhost-echo-v1")
                        .get())
                .isNull();
    }

    @Test
    void aRefusalOfTheApiSaysWhichPermissionIsMissing() {
        server.expect()
                .post()
                .withPath("/api/v1/namespaces/" + NAMESPACE + "/pods")
                .andReturn(403, Map.of("kind", "Status", "status", "Failure", "code", 403, "reason", "Forbidden"))
                .once();

        assertThatThrownBy(() -> driver.start(echo("60s"), "echo-v1-1"))
                .isInstanceOf(InstanceStartException.class)
                .hasMessageContaining("refused to create pod echo-v1-1-")
                .hasMessageContaining("deploy/kubernetes/role.yaml");
    }
}
