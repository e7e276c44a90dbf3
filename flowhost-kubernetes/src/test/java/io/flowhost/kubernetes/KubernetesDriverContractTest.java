package io.flowhost.kubernetes;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.RunningInstance;
import io.flowhost.instances.contract.InstanceDriverContract;
import io.flowhost.instances.process.ProcessDriver;
import io.flowhost.instances.process.ProcessSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pods pass the driver contract: fabric8's mock API server stands in for the cluster, {@link TestKubelet} for
 * the kubelet (it runs each pod's instance as a real JVM on an address of its own), and a small HTTP server for
 * the gateways the pods fetch their jars from, with their tokens.
 */
@Tag("e2e")
@EnableKubernetesMockClient(crud = true)
class KubernetesDriverContractTest extends InstanceDriverContract {

    private static final String NAMESPACE = "flowhost";

    KubernetesClient client;

    /**
     * Stops the test's cluster and closes the client, and with it its connections, before the mock API server stops:
     * fabric8's extension stops the server first, which then waits for the client's open connections and gave up
     * after 10 s on a busy machine ("Unable to close MockWebServer"). Registered after the extension, so called
     * before it; and, as an extension, after every {@code @AfterEach} method, so after the contract's own, which
     * closes the driver: the kubelet must still be running then to see its pods deleted, or the driver waits for
     * them until its close gives up.
     */
    @RegisterExtension
    final AfterEachCallback stopTheClusterThenTheClient = context -> {
        if (this.kubelet != null) {
            this.kubelet.close();
        }
        if (this.gateway != null) {
            this.gateway.stop(0);
        }
        if (this.describer != null) {
            this.describer.close();
        }
        client.close();
    };

    private TestKubelet kubelet;
    private HttpServer gateway;
    private ProcessDriver describer;
    private final Map<String, Path> jars = new ConcurrentHashMap<>();

    @Override
    protected InstanceDriver driver(Path dataDir) {
        try {
            gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gateway.createContext("/v1/deployments/", exchange -> {
            var id = exchange.getRequestURI().getPath().split("/")[3];
            var jar = jars.get(id);
            var allowed = ("Bearer t-" + id).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            if (jar == null || !allowed) {
                exchange.sendResponseHeaders(jar == null ? 404 : 401, -1);
            } else {
                var bytes = Files.readAllBytes(jar);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        gateway.start();
        kubelet = new TestKubelet(client, NAMESPACE, dataDir.resolve("pods"));
        describer = new ProcessDriver(new ProcessSettings(dataDir, List.of(), 1024 * 1024, null));
        return new KubernetesDriver(
                client,
                new KubernetesSettings(
                        NAMESPACE,
                        "flowhost/instance:test",
                        URI.create("http://127.0.0.1:" + gateway.getAddress().getPort()),
                        8080,
                        1024 * 1024),
                (jar, className) -> {
                    var descriptor = describer.describe(jar, className);
                    jars.put(descriptor.service() + "-v1", jar); // the contract deploys <service>-v1
                    return descriptor;
                },
                id -> "t-" + id);
    }

    @Override
    protected void crash(RunningInstance instance) {
        kubelet.crash(((PodInstance) instance).podName());
    }

    @Override
    protected List<String> coldStartParts() {
        return List.of(
                "scheduled",
                "imagePulled",
                "containerStarted",
                "jvmToMain",
                "jarFetch",
                "listening",
                "constructor",
                "ready");
    }
}
