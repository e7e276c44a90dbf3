package io.flowhost.kubernetes;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pods pass the driver contract: fabric8's mock API server stands in for the cluster, {@link TestKubelet} for
 * the kubelet (it runs each pod's instance as a real JVM on an address of its own), and a small HTTP server for
 * the gateways the pods fetch their jars from, with their tokens.
 */
@Tag("e2e")
class KubernetesDriverContractTest extends InstanceDriverContract {

    private static final String NAMESPACE = "flowhost";

    private KubernetesMockServer server;
    private KubernetesClient client;

    /**
     * The mock API server (CRUD, as {@code @EnableKubernetesMockClient(crud = true)} makes it), started before the
     * contract's own {@code @BeforeEach} asks for the driver: an extension's callback runs before those methods.
     */
    @RegisterExtension
    final BeforeEachCallback startTheCluster = context -> {
        server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                new HashMap<>(),
                new KubernetesMixedDispatcher(new HashMap<>()),
                false);
        server.init();
        client = server.createClient();
    };

    /**
     * Stops the test's cluster, closes the client, and stops the mock API server. As an extension's callback it runs
     * after every {@code @AfterEach} method, so after the contract's own, which closes the driver: the kubelet must
     * still be running then to see its pods deleted, or the driver waits for them until its close gives up. The
     * mock server's own stop waits at most 10 s for Vert.x to close its connections and then throws "Unable to close
     * MockWebServer" (seen on a loaded machine, in two different tests of this class, with every client closed);
     * that is the mock's teardown, not the driver's behaviour, so it is reported and the test stands.
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
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            System.err.println("fabric8's mock API server did not stop within its 10 s: " + e);
        }
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
                    var descriptor = describer.inspect(jar, className);
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
