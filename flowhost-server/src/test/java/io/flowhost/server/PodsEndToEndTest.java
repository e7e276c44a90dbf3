package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.flowhost.kubernetes.KubernetesSettings;
import io.flowhost.kubernetes.TestKubelet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server with {@code --driver kubernetes}, end to end, against fabric8's mock API server and {@link TestKubelet}
 * (each pod a real instance JVM on an address of its own): a deploy becomes a pod that fetches its jar from this
 * gateway, calls reach it, an idle deployment's pod is deleted, and calls that come meanwhile are held while a new
 * pod starts, then answered; its cold start shows the pod's own parts.
 */
@Tag("e2e")
@EnableKubernetesMockClient(crud = true)
class PodsEndToEndTest {

    private static final String NAMESPACE = "serving";
    private static final Duration PATIENCE = Duration.ofSeconds(60); // pods are JVMs on a loaded 2-core machine

    /** What fabric8 reads when it configures itself, as in a pod or from a kubeconfig: here, the mock server. */
    private static final Map<String, String> API = Map.of(
            "kubernetes.auth.tryKubeConfig", "false",
            "kubernetes.auth.tryServiceAccount", "false",
            "kubernetes.trust.certificates", "true");

    KubernetesClient client;

    /**
     * Closes the client, and with it its connections, before the mock API server stops: fabric8's extension stops
     * the server first, which then waits for the client's open connections and gave up after 10 s on a busy machine
     * ("Unable to close MockWebServer"). Registered after the extension, so called before it.
     */
    @RegisterExtension
    final AfterEachCallback closeTheClientFirst = context -> client.close();

    @TempDir
    Path dataDir;

    private TestKubelet kubelet;
    private FlowhostServer server;
    private Http http;
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() throws IOException {
        API.forEach(System::setProperty);
        System.setProperty("kubernetes.master", client.getConfiguration().getMasterUrl());
        kubelet = new TestKubelet(client, NAMESPACE, dataDir.resolve("pods"));
        int port = freePort(); // pods are told where to fetch their jar before the server listens
        server = FlowhostServer.start(ServerSettings.defaults(dataDir)
                .withPort(port)
                .withKubernetes(
                        new OnKubernetes(NAMESPACE, "flowhost/instance:test", URI.create("http://127.0.0.1:" + port))));
        http = new Http(server.uri());
    }

    @AfterEach
    void stop() {
        server.close();
        kubelet.close();
        callers.shutdownNow();
        API.keySet().forEach(System::clearProperty);
        System.clearProperty("kubernetes.master");
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private JsonNode status() {
        return Http.json(http.get("/v1/status/echo")).path("services").path(0);
    }

    private List<String> pods() {
        return client.pods().inNamespace(NAMESPACE).withLabel(KubernetesSettings.DEPLOYMENT).list().getItems().stream()
                .map(p -> p.getMetadata().getName())
                .toList();
    }

    @Test
    void anIdleDeploymentsPodGoesAndCallsMeanwhileAreHeldUntilANewPodAnswers() throws Exception {
        var deployed = http.deploy(TestJars.exampleBytes("echo"), ScalingTest.QUICK + "&idle-timeout=2s");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

        var first = http.postJson("/v1/services/echo/echo", "{\"on\": \"a pod\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("a pod");
        assertThat(status().path("instances").path(0).path("pid").asLong())
                .as("a pod, not a process")
                .isEqualTo(-1);

        await().atMost(PATIENCE).until(() -> status().path("instances").isEmpty());
        await().atMost(PATIENCE).until(() -> pods().isEmpty());

        var calls = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 10; i++) {
            var body = "{\"n\": " + i + "}";
            calls.add(CompletableFuture.supplyAsync(() -> http.postJson("/v1/services/echo/echo", body), callers));
        }
        for (int i = 0; i < calls.size(); i++) {
            var answer = calls.get(i).get();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"n\":" + i);
        }
        assertThat(pods()).as("woken by the held calls").isNotEmpty();
        var parts = await().atMost(PATIENCE)
                .until(() -> status().path("instances").path(0).path("coldStartBreakdownMs"), JsonNode::isObject);
        assertThat(parts.properties().stream().map(Map.Entry::getKey).toList())
                .containsExactly(
                        "scheduled",
                        "imagePulled",
                        "containerStarted",
                        "jvmToMain",
                        "jarFetch",
                        "listening",
                        "constructor",
                        "ready",
                        "total");
    }
}
