package io.flowhost.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A kubelet for tests, against fabric8's mock API server, which has none: it runs each pod the driver creates as a
 * real instance JVM (the image's entry point, {@code InstanceMain}, with the pod's arguments and its environment,
 * Secrets resolved), gives each pod an address of its own (127.X.Y.Z, as a pod has its own network namespace),
 * probes {@code /readyz} as the readiness probe would, and reports the pod's status. Deleting a pod stops its
 * container within the grace period before the pod goes (a finalizer holds it meanwhile, as a real API server
 * waits for the kubelet), and a container that exits leaves the pod Failed with its exit code and the end of its
 * log as the termination message ({@code FallbackToLogsOnError}).
 */
public final class TestKubelet implements AutoCloseable {

    private static final String FINALIZER = "test.flowhost.io/kubelet";
    /**
     * The next pod's address: 127.X.Y.Z from a random start, so that two builds on one machine (each with kubelets of
     * its own, all listening on port 8080) do not hand out the same addresses.
     */
    private static final AtomicInteger NEXT_ADDRESS =
            new AtomicInteger(ThreadLocalRandom.current().nextInt(250 * 250 * 250));

    private record Running(Process process, String ip, Path log) {}

    private final KubernetesClient client;
    private final String namespace;
    private final Path logs;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, String> scheduled = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> informer;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public TestKubelet(KubernetesClient client, String namespace, Path logs) {
        this.client = client;
        this.namespace = namespace;
        this.logs = logs;
        this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                Thread.ofVirtual().start(() -> run(pod));
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                if (pod.getMetadata().getDeletionTimestamp() != null) {
                    Thread.ofVirtual().start(() -> terminate(pod));
                }
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {}
        });
    }

    /** Kills a pod's container from outside, as an out-of-memory kill would. */
    void crash(String podName) {
        var r = running.get(podName);
        if (r != null) {
            r.process().destroyForcibly();
        }
    }

    private void run(Pod pod) {
        var name = pod.getMetadata().getName();
        if (running.containsKey(name)) {
            return;
        }
        int n = NEXT_ADDRESS.getAndIncrement();
        var ip = "127." + (n / 250 / 250 % 250 + 1) + "." + (n / 250 % 250) + "." + (n % 250 + 2);
        // Scheduled at once, on the one node, whose image is there already: what a kubelet would report.
        scheduled.put(name, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        try {
            var withFinalizer = client.pods()
                    .inNamespace(namespace)
                    .withName(name)
                    .edit(p -> {
                        p.getMetadata().getFinalizers().add(FINALIZER);
                        return p;
                    });
            var container = withFinalizer.getSpec().getContainers().getFirst();
            var command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElseThrow(),
                    "-XX:TieredStopAtLevel=1",
                    "-Xshare:auto",
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "io.flowhost.runtime.InstanceMain"));
            for (var arg : container.getArgs()) {
                command.add(arg.equals("0.0.0.0") ? ip : arg); // the pod's own address, not every one
            }
            var log = Files.createDirectories(logs).resolve(name + ".log");
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            for (var env : container.getEnv()) {
                if (env.getValue() != null) {
                    builder.environment().put(env.getName(), env.getValue());
                    continue;
                }
                var ref = env.getValueFrom().getSecretKeyRef();
                var secret = client.secrets()
                        .inNamespace(namespace)
                        .withName(ref.getName())
                        .get();
                builder.environment()
                        .put(
                                env.getName(),
                                new String(
                                        Base64.getDecoder()
                                                .decode(secret.getData().get(ref.getKey())),
                                        StandardCharsets.UTF_8));
            }
            client.v1()
                    .events()
                    .inNamespace(namespace)
                    .resource(new EventBuilder()
                            .withNewMetadata()
                            .withName(name + ".pulled")
                            .endMetadata()
                            .withNewInvolvedObject()
                            .withKind("Pod")
                            .withName(name)
                            .withNamespace(namespace)
                            .endInvolvedObject()
                            .withReason("Pulled")
                            .withMessage("Container image \"" + container.getImage() + "\" already present on machine")
                            .build())
                    .create();
            var process = builder.start();
            running.put(name, new Running(process, ip, log));
            status(name, s -> s.withPhase("Running").withPodIP(ip));
            var port = container.getPorts().getFirst().getContainerPort();
            while (process.isAlive()) {
                if (ready(ip, port)) {
                    status(
                            name,
                            s -> s.withPhase("Running")
                                    .withPodIP(ip)
                                    .withConditions(new PodConditionBuilder()
                                            .withType("Ready")
                                            .withStatus("True")
                                            .build()));
                    break;
                }
                Thread.sleep(100);
            }
            int code = process.waitFor();
            if (running.remove(name) != null) {
                var lines = Files.readAllLines(log);
                var end = String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
                status(
                        name,
                        s -> s.withPhase(code == 0 ? "Succeeded" : "Failed")
                                .withPodIP(ip)
                                .withContainerStatuses(new ContainerStatusBuilder()
                                        .withName("instance")
                                        .withState(new ContainerStateBuilder()
                                                .withNewTerminated()
                                                .withExitCode(code)
                                                .withReason(code == 0 ? "Completed" : "Error")
                                                .withMessage(end)
                                                .endTerminated()
                                                .build())
                                        .build()));
            }
        } catch (IOException | KubernetesClientException e) {
            throw new IllegalStateException("the test kubelet cannot run pod " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A pod marked for deletion: its container is stopped within the grace period, then the pod may go. */
    private void terminate(Pod pod) {
        var name = pod.getMetadata().getName();
        var r = running.remove(name);
        if (r != null) {
            long grace = pod.getMetadata().getDeletionGracePeriodSeconds() == null
                    ? 30
                    : pod.getMetadata().getDeletionGracePeriodSeconds();
            r.process().destroy();
            try {
                if (!r.process().waitFor(grace, TimeUnit.SECONDS)) {
                    r.process().destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            client.pods().inNamespace(namespace).withName(name).edit(p -> {
                p.getMetadata().getFinalizers().remove(FINALIZER);
                return p;
            });
        } catch (KubernetesClientException e) {
            // gone already
        }
    }

    private boolean ready(String ip, int port) {
        try {
            var answer = http.send(
                    HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + "/readyz"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void status(String name, UnaryOperator<PodStatusBuilder> status) {
        var current = client.pods().inNamespace(namespace).withName(name).get();
        if (current == null) {
            return;
        }
        var reported = status.apply(new PodStatusBuilder());
        var at = scheduled.get(name);
        if (at != null) {
            reported.addToConditions(new PodConditionBuilder()
                    .withType("PodScheduled")
                    .withStatus("True")
                    .withLastTransitionTime(at)
                    .build());
        }
        current.setStatus(reported.build());
        client.pods().inNamespace(namespace).resource(current).updateStatus();
    }

    @Override
    public void close() {
        informer.close();
        running.values().forEach(r -> r.process().destroyForcibly());
    }
}
