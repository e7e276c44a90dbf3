package io.flowhost.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.flowhost.domain.instance.InstanceAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every gateway sees the pods for itself: a follower's driver, watching through its own connection to fabric8's
 * mock API server, routes to the current leader's ready pods, stops at once routing to one being deleted, and
 * catches up by itself after its watch is cut.
 */
@EnableKubernetesMockClient(crud = true)
class PodDiscoveryTest {

    private static final String NAMESPACE = "serving";
    private static final Duration WITHIN = Duration.ofSeconds(30); // a loaded machine; it takes milliseconds
    private static final String FINALIZER = "test.flowhost.io/held";

    KubernetesMockServer server;
    KubernetesClient client;

    private final ReadyzStub instances = new ReadyzStub("{\"status\": \"ready\", \"pins\": {}}");
    private CuttableLink link;
    private KubernetesClient followersClient;
    private KubernetesDriver leader;
    private KubernetesDriver follower;

    @BeforeEach
    void open() {
        leader = driver(client);
        var api = URI.create(client.getConfiguration().getMasterUrl());
        link = new CuttableLink(api.getHost(), api.getPort());
        followersClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration())
                        .withMasterUrl(api.getScheme() + "://" + api.getHost() + ":" + link.port())
                        .build())
                .build();
        follower = driver(followersClient);
    }

    @AfterEach
    void close() {
        // The mock API server (fabric8 8.0.0) closes a watch on its event loop and waits there for the watch's
        // pending sends, which need that loop: a watch closed while a change is on its way to it hangs there (30 s,
        // then the server cannot stop and the test fails). So each driver closes only once it has seen every change
        // made, shown by a last pod that it must see ready. The leader first: closing, it deletes the pods it started
        // and waits to see them gone; then the follower, once it has seen those deletions too.
        ready(pod("marker-1", 99), "10.0.0.98");
        await().atMost(WITHIN).until(() -> !leader.ready(99).isEmpty());
        leader.close();
        ready(pod("marker-2", 99), "10.0.0.99");
        await().atMost(WITHIN)
                .until(() ->
                        follower.ready(99).getOrDefault("echo-v1", List.of()).size() == 2);
        follower.close();
        followersClient.close();
        link.close();
        instances.close();
    }

    private KubernetesDriver driver(KubernetesClient api) {
        return new KubernetesDriver(
                api,
                new KubernetesSettings(
                        NAMESPACE, "flowhost/instance:test", URI.create("http://flowhost"), instances.port(), 1 << 20),
                (jar, className) -> {
                    throw new AssertionError("not described here");
                },
                id -> "token");
    }

    /** A pod as a leader of {@code term} starts it, held by a finalizer (as a kubelet holds one it still runs). */
    private Pod pod(String instanceId, long term) {
        return client.pods()
                .inNamespace(NAMESPACE)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(instanceId + "-abcde")
                        .addToLabels(KubernetesSettings.MANAGED_BY, "flowhost")
                        .addToLabels(KubernetesSettings.DEPLOYMENT, "echo-v1")
                        .addToLabels(KubernetesSettings.INSTANCE, instanceId)
                        .addToLabels(KubernetesSettings.TERM, Long.toString(term))
                        .addToFinalizers(FINALIZER)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("instance")
                        .withImage("flowhost/instance:test")
                        .endContainer()
                        .endSpec()
                        .build())
                // Not create(): on a loaded machine the client may time out waiting for the answer and send it
                // again, which the API then refuses as a pod that exists already.
                .createOr(NonDeletingOperation::update);
    }

    private void ready(Pod pod, String ip) {
        var current = client.pods()
                .inNamespace(NAMESPACE)
                .withName(pod.getMetadata().getName())
                .get();
        current.setStatus(new PodStatusBuilder()
                .withPhase("Running")
                .withPodIP(ip)
                .withConditions(new PodConditionBuilder()
                        .withType("Ready")
                        .withStatus("True")
                        .build())
                .build());
        client.pods().inNamespace(NAMESPACE).resource(current).updateStatus();
    }

    private static Map<String, List<InstanceAddress>> routes(String instanceId, String ip, int port) {
        return Map.of("echo-v1", List.of(new InstanceAddress(instanceId, new InetSocketAddress(ip, port))));
    }

    @Test
    void aFollowerRoutesToTheReadyPodsTheLeaderStartedInItsTerm() throws Exception {
        var changes = new AtomicInteger();
        follower.onChange(changes::incrementAndGet);
        leader.lead(3);
        var starting = Thread.ofVirtual().start(() -> {
            try {
                leader.start(KubernetesDriverTest.echo("60s"), "echo-v1-1");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        var pod = await().atMost(WITHIN)
                .until(() -> client.pods().inNamespace(NAMESPACE).list().getItems(), pods -> pods.size() == 1)
                .getFirst();
        assertThat(pod.getMetadata().getLabels()).containsEntry(KubernetesSettings.TERM, "3");
        assertThat(follower.ready(3)).as("not ready yet").isEmpty();

        ready(pod, ReadyzStub.POD_IP);

        await().atMost(WITHIN)
                .untilAsserted(() -> assertThat(follower.ready(3))
                        .isEqualTo(routes("echo-v1-1", ReadyzStub.POD_IP, instances.port())));
        assertThat(follower.ready(2)).as("another leader's term").isEmpty();
        assertThat(changes)
                .as("the follower was told, not left to its next look")
                .hasPositiveValue();
        starting.join();
    }

    @Test
    void aPodBeingDeletedIsRoutedNoMoreWhileItStillRuns() {
        var pod = pod("echo-v1-1", 1);
        ready(pod, "10.0.0.7");
        await().atMost(WITHIN).until(() -> !follower.ready(1).isEmpty());

        client.pods().inNamespace(NAMESPACE).resource(pod).delete();

        await().atMost(WITHIN).until(() -> follower.ready(1).isEmpty());
        assertThat(client.pods()
                        .inNamespace(NAMESPACE)
                        .withName(pod.getMetadata().getName())
                        .get())
                .as("still there, draining: its preStop keeps it answering calls already sent")
                .isNotNull();
    }

    @Test
    void aNewLeaderDeletesThePodsTheLeadersBeforeItLeft() {
        var old = pod("echo-v1-1", 1);
        var own = pod("echo-v1-2", 2);
        ready(old, "10.0.0.7");
        ready(own, "10.0.0.8");
        await().atMost(WITHIN)
                .until(() -> !leader.ready(1).isEmpty() && !leader.ready(2).isEmpty());

        leader.lead(2);

        await().atMost(WITHIN)
                .untilAsserted(() -> assertThat(client.pods()
                                .inNamespace(NAMESPACE)
                                .withName(old.getMetadata().getName())
                                .get()
                                .getMetadata()
                                .getDeletionTimestamp())
                        .isNotNull());
        assertThat(client.pods()
                        .inNamespace(NAMESPACE)
                        .withName(own.getMetadata().getName())
                        .get()
                        .getMetadata()
                        .getDeletionTimestamp())
                .isNull();
    }

    @Test
    void aFollowerWhoseWatchIsCutCatchesUpByItself() {
        var first = pod("echo-v1-1", 1);
        ready(first, "10.0.0.7");
        await().atMost(WITHIN).until(() -> !follower.ready(1).isEmpty());

        link.cut();
        client.pods().inNamespace(NAMESPACE).resource(first).delete();
        ready(pod("echo-v1-2", 1), "10.0.0.8");
        link.mend();

        await().atMost(WITHIN)
                .untilAsserted(() ->
                        assertThat(follower.ready(1)).isEqualTo(routes("echo-v1-2", "10.0.0.8", instances.port())));
    }
}
