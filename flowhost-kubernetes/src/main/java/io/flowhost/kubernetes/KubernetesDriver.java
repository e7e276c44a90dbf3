package io.flowhost.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.instance.InstanceAddress;
import io.flowhost.domain.service.ServiceDescriptor;
import io.flowhost.instances.InstanceDiscovery;
import io.flowhost.instances.InstanceDriver;
import io.flowhost.instances.InstanceStartException;
import io.flowhost.instances.InvalidServiceException;
import io.flowhost.instances.RunningInstance;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs instances as pods the driver owns, one pod per instance, rather than as a Kubernetes Deployment scaled by
 * replicas: the supervisor decides which instance drains (the least busy), which a Deployment's scale-down would
 * decide for itself. Each pod runs the generic instance image, which fetches its deployment's jar from the
 * gateways and checks its SHA-256. One informer watches every pod the driver owns; it lists again and watches
 * again by itself after a lost watch.
 */
public final class KubernetesDriver implements InstanceDriver, InstanceDiscovery {

    /** Checks a jar without running it: the gateways' own runtime does this, no pod needed. */
    @FunctionalInterface
    public interface Describer {
        ServiceDescriptor describe(Path jar, String className) throws InvalidServiceException;
    }

    private static final System.Logger LOG = System.getLogger("flowhost.kubernetes");
    private static final String OWNER = "flowhost";
    private static final String GPU = "nvidia.com/gpu";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN_KEY = "token";

    /** The variable the instance runtime reads its token from (the runtime's {@code JarFetch.TOKEN_VARIABLE}). */
    static final String TOKEN_VARIABLE = "FLOWHOST_DEPLOYMENT_TOKEN";

    /**
     * The variable naming the gateways to a pod's service, for its table lookups ({@code ServiceContext.tables()};
     * the runtime's {@code InstanceOptions.GATEWAY_VARIABLE}).
     */
    static final String GATEWAY_VARIABLE = "FLOWHOST_GATEWAY_URL";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration RESYNC = Duration.ofSeconds(30);
    private static final long EVENTS_LOOKED_AT = 500;
    private static final Executor BACKGROUND = Executors.newVirtualThreadPerTaskExecutor();

    /** The exit code reported for a pod deleted before its container said how it ended: as a SIGKILL's. */
    private static final int DELETED = 137;

    /** How long a pod being deleted keeps serving before it is told to stop: for every gateway to stop routing. */
    static final Duration PRE_STOP = Duration.ofSeconds(2);

    /** How long the driver's pods have to finish their calls when it closes. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    /** The pods this driver started and has not seen gone, by pod name. */
    private record Tracked(CompletableFuture<Pod> ready, CompletableFuture<Integer> exited) {}

    private final KubernetesClient client;
    private final KubernetesSettings settings;
    private final Describer describer;
    private final Function<String, String> tokens;
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    private final Map<String, Tracked> pods = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> informer;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile long term;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param tokens the token of a deployment, by id, which its pods present to fetch its jar
     */
    public KubernetesDriver(
            KubernetesClient client,
            KubernetesSettings settings,
            Describer describer,
            Function<String, String> tokens) {
        this.client = client;
        this.settings = settings;
        this.describer = describer;
        this.tokens = tokens;
        this.informer = client.pods()
                .inNamespace(settings.namespace())
                .withLabel(KubernetesSettings.MANAGED_BY, OWNER)
                .inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(Pod pod) {
                                seen(pod);
                                changed();
                            }

                            @Override
                            public void onUpdate(Pod before, Pod pod) {
                                seen(pod);
                                changed();
                            }

                            @Override
                            public void onDelete(Pod pod, boolean finalStateUnknown) {
                                gone(pod.getMetadata().getName(), "was deleted", DELETED);
                                changed();
                            }
                        },
                        RESYNC.toMillis());
    }

    /**
     * A driver on the cluster this process finds itself in: its service account when it runs in a pod, else
     * {@code KUBECONFIG} (or {@code ~/.kube/config}). Fails at once, saying what to do, when the API cannot be
     * reached or refuses to list pods in the namespace.
     */
    public static KubernetesDriver connect(
            KubernetesSettings settings, Describer describer, Function<String, String> tokens) {
        // A call the API does not answer is tried twice more, not ten times over minutes: a pod that cannot be
        // created fails its start, and the supervisor tries again; the informer reconnects by itself.
        var config = new ConfigBuilder(Config.autoConfigure(null))
                .withRequestRetryBackoffLimit(2)
                .build();
        var client = new KubernetesClientBuilder()
                .withConfig(config)
                .withHttpClientFactory(new JdkHttpClientFactory())
                .build();
        try {
            client.pods()
                    .inNamespace(settings.namespace())
                    .list(new ListOptionsBuilder().withLimit(1L).build());
        } catch (KubernetesClientException e) {
            var api = client.getConfiguration().getMasterUrl();
            client.close();
            throw new IllegalStateException("cannot use the Kubernetes API at " + api + " (" + e.getMessage()
                    + "): run the gateways in the cluster with their service account"
                    + " (deploy/kubernetes), or point KUBECONFIG at it");
        }
        return new KubernetesDriver(client, settings, describer, tokens);
    }

    @Override
    public Optional<InstanceDiscovery> discovery() {
        return Optional.of(this);
    }

    /** Every gateway's informer sees the same pods: a follower routes by its own view of them. */
    @Override
    public Map<String, List<InstanceAddress>> ready(long term) {
        return ReadyPods.of(informer.getStore().list(), term, settings.port());
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    /**
     * Labels the pods started from now on with {@code term}, and deletes the pods of earlier leaders: each left its
     * pods behind when it stopped leading, and the new leader starts its own (its instance ids count from 1 again).
     * They are deleted gracefully, so that the calls they still run finish.
     */
    @Override
    public void lead(long term) {
        this.term = term;
        var current = Long.toString(term);
        for (var pod : informer.getStore().list()) {
            var labels = pod.getMetadata().getLabels();
            if (pod.getMetadata().getDeletionTimestamp() == null
                    && !current.equals(labels.get(KubernetesSettings.TERM))) {
                LOG.log(
                        Level.INFO,
                        "deleting pod " + pod.getMetadata().getName() + ", started by the leader of term "
                                + labels.getOrDefault(KubernetesSettings.TERM, "?"));
                delete(pod.getMetadata().getName(), CLOSE_GRACE);
            }
        }
    }

    @Override
    public ServiceDescriptor describe(Path jar, String className) throws InvalidServiceException {
        return describer.describe(jar, className);
    }

    @Override
    public RunningInstance start(Deployment deployment, String instanceId) throws InstanceStartException {
        var name = podName(instanceId);
        var tracked = new Tracked(new CompletableFuture<>(), new CompletableFuture<>());
        pods.put(name, tracked);
        var startedAt = Instant.now();
        long t0 = System.nanoTime();
        try {
            keepToken(deployment);
        } catch (KubernetesClientException e) {
            pods.remove(name);
            throw new InstanceStartException(explain(e, "create or update", "secret " + secretName(deployment)));
        }
        try {
            client.pods()
                    .inNamespace(settings.namespace())
                    .resource(pod(deployment, instanceId, name))
                    .create();
        } catch (KubernetesClientException e) {
            // The name has a random suffix of this start's own: if it exists, it is this pod, created by a first
            // attempt whose answer was lost (the client tries again after a timeout or a 5xx).
            if (e.getCode() != 409) {
                pods.remove(name);
                throw new InstanceStartException(explain(e, "create", "pod " + name));
            }
        }
        var timeout = deployment.scaling().startupTimeout();
        Pod ready;
        try {
            ready = tracked.ready().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            var why = whyNotReady(name);
            delete(name, Duration.ZERO);
            throw new InstanceStartException("pod " + name + " of " + deployment.id() + " was not ready within "
                    + timeout.toSeconds() + " s (startup-timeout)" + why);
        } catch (ExecutionException e) {
            delete(name, Duration.ZERO);
            throw new InstanceStartException("pod " + name + " of " + deployment.id() + " ended before it was ready: "
                    + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delete(name, Duration.ZERO);
            throw new InstanceStartException("interrupted while pod " + name + " started");
        }
        var readyAt = Instant.now();
        var took = Duration.ofNanos(System.nanoTime() - t0);
        var address = new InetSocketAddress(ready.getStatus().getPodIP(), settings.port());
        var readyz = readyz(address, name);
        // The parts are read from the pod's events after the instance is handed over, not in its way.
        var breakdown = CompletableFuture.supplyAsync(
                () -> {
                    var parts = PodColdStart.of(ready, events(name), readyz.timings(), startedAt, readyAt, took);
                    LOG.log(Level.INFO, "cold start of " + instanceId + " (pod " + name + "): " + parts.describe());
                    return parts;
                },
                BACKGROUND);
        return new PodInstance(
                instanceId, name, address, startedAt, took, readyz.pins(), breakdown, tracked.exited(), this::delete);
    }

    /** What the kubelet said of the pod (its image pull among it); none if the API will not say. */
    private List<Event> events(String podName) {
        try {
            var events = client.v1().events().inNamespace(settings.namespace());
            var about = about(
                    podName,
                    events.withField("involvedObject.name", podName).list().getItems());
            if (about.isEmpty()) {
                // Not every API filters events by field (fabric8's mock server does not): the latest few, then.
                var latest = events.list(
                        new ListOptionsBuilder().withLimit(EVENTS_LOOKED_AT).build());
                about = about(podName, latest.getItems());
            }
            return about;
        } catch (KubernetesClientException e) {
            LOG.log(Level.DEBUG, explain(e, "list", "events of pod " + podName));
            return List.of();
        }
    }

    private static List<Event> about(String podName, List<Event> events) {
        return events.stream()
                .filter(e -> e.getInvolvedObject() != null
                        && podName.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    /**
     * What a ready instance's {@code /readyz} reports: the Metaflow runs it resolved its code's own {@code latest}
     * references to (the server pins the deployment to them, as it does for child processes), and when each step of
     * its start happened, epoch milliseconds.
     */
    private record Readyz(Map<String, String> pins, Map<String, Long> timings) {}

    private Readyz readyz(InetSocketAddress address, String name) throws InstanceStartException {
        var uri = URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/readyz");
        try {
            var answer = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new InstanceStartException(
                        "pod " + name + " was ready, then its /readyz answered " + answer.statusCode());
            }
            var body = JSON.readTree(answer.body());
            var pins = new TreeMap<String, String>();
            body.path("pins")
                    .properties()
                    .forEach(e -> pins.put(e.getKey(), e.getValue().asText()));
            var timings = new TreeMap<String, Long>();
            body.path("timings")
                    .properties()
                    .forEach(e -> timings.put(e.getKey(), e.getValue().asLong()));
            return new Readyz(pins, timings);
        } catch (IOException e) {
            throw new InstanceStartException("pod " + name + " was ready, but this gateway cannot reach it at "
                    + address + " (" + e.getMessage() + "): the gateways must reach pod IPs");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InstanceStartException("interrupted while reading pod " + name + "'s /readyz");
        }
    }

    /** The deployment's token in a Secret of its own, which its pods read: kept out of the pod specs. */
    private void keepToken(Deployment deployment) {
        var secret = new SecretBuilder()
                .withNewMetadata()
                .withName(secretName(deployment))
                .addToLabels(KubernetesSettings.MANAGED_BY, OWNER)
                .addToLabels(KubernetesSettings.DEPLOYMENT, deployment.id())
                .endMetadata()
                .addToData(
                        TOKEN_KEY,
                        Base64.getEncoder()
                                .encodeToString(tokens.apply(deployment.id()).getBytes(StandardCharsets.US_ASCII)))
                .build();
        client.secrets().inNamespace(settings.namespace()).resource(secret).createOr(NonDeletingOperation::update);
        secrets.add(secret.getMetadata().getName());
    }

    /** The Secret with a deployment's token. */
    static String secretName(Deployment deployment) {
        return "flowhost-" + deployment.id();
    }

    /** What a pod is told to run: the instance image, fetching this deployment's jar from the gateways. */
    Pod pod(Deployment deployment, String instanceId, String name) {
        var args = new ArrayList<String>();
        if (deployment.servesOnnx()) {
            args.addAll(List.of("--onnx", deployment.model(), "--name", deployment.service()));
        } else {
            args.addAll(List.of(
                    "--jar-url",
                    settings.server()
                            .resolve("/v1/deployments/" + deployment.id() + "/jar")
                            .toString(),
                    "--jar-sha256",
                    deployment.jarSha256(),
                    "--class",
                    deployment.descriptor().className()));
        }
        args.addAll(List.of(
                "--host",
                "0.0.0.0",
                "--port",
                Integer.toString(settings.port()),
                "--max-body",
                Integer.toString(settings.maxBody()),
                "--deployment",
                deployment.id()));
        deployment.pins().forEach((key, run) -> args.addAll(List.of("--pin", key + "=" + run)));
        deployment.settings().forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
        var resources = deployment.resources();
        var requests = new LinkedHashMap<String, Quantity>();
        var limits = new LinkedHashMap<String, Quantity>();
        if (resources.cpu() != null) {
            requests.put("cpu", new Quantity(resources.cpu()));
        }
        if (resources.memory() != null) {
            // Memory is not compressible: asked for and capped alike, so a pod is never killed for using it.
            requests.put("memory", new Quantity(resources.memory()));
            limits.put("memory", new Quantity(resources.memory()));
        }
        if (resources.gpus() > 0) {
            limits.put(GPU, new Quantity(Integer.toString(resources.gpus())));
        }
        var tolerations = resources.tolerations().stream()
                .map(KubernetesDriver::toleration)
                .toList();
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(KubernetesSettings.MANAGED_BY, OWNER)
                .addToLabels(KubernetesSettings.DEPLOYMENT, deployment.id())
                .addToLabels(KubernetesSettings.INSTANCE, instanceId)
                .addToLabels(KubernetesSettings.TERM, Long.toString(term))
                .endMetadata()
                .withNewSpec()
                // The supervisor replaces an instance that dies; the kubelet restarting it would hide the crash.
                .withRestartPolicy("Never")
                .withNodeSelector(resources.nodeSelector())
                .withTolerations(tolerations)
                .addNewContainer()
                .withName("instance")
                .withImage(settings.image())
                // A container that fails says why in its pod's status: the end of its log.
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withArgs(args)
                .withNewResources()
                .withRequests(requests)
                .withLimits(limits)
                .endResources()
                .addNewEnv()
                .withName(TOKEN_VARIABLE)
                .withNewValueFrom()
                .withNewSecretKeyRef()
                .withName(secretName(deployment))
                .withKey(TOKEN_KEY)
                .endSecretKeyRef()
                .endValueFrom()
                .endEnv()
                .addNewEnv()
                .withName(GATEWAY_VARIABLE)
                .withValue(settings.server().toString())
                .endEnv()
                .addNewPort()
                .withName("http")
                .withContainerPort(settings.port())
                .endPort()
                // Every gateway watches the pods and stops routing to one being deleted as soon as it sees that
                // (well within the preStop sleep); the pod keeps answering meanwhile, then gets SIGTERM.
                .withNewLifecycle()
                .withNewPreStop()
                .withNewSleep()
                .withSeconds(PRE_STOP.toSeconds())
                .endSleep()
                .endPreStop()
                .endLifecycle()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath("/readyz")
                .withNewPort(settings.port())
                .endHttpGet()
                .withPeriodSeconds((int) KubernetesSettings.PROBE_PERIOD.toSeconds())
                .endReadinessProbe()
                .endContainer()
                .endSpec()
                .build();
    }

    /** {@code key[=value]:Effect} as a toleration (checked when the deployment was made). */
    private static Toleration toleration(String written) {
        int colon = written.lastIndexOf(':');
        var keyValue = written.substring(0, colon);
        int eq = keyValue.indexOf('=');
        return new TolerationBuilder()
                .withKey(eq < 0 ? keyValue : keyValue.substring(0, eq))
                .withOperator(eq < 0 ? "Exists" : "Equal")
                .withValue(eq < 0 ? null : keyValue.substring(eq + 1))
                .withEffect(written.substring(colon + 1))
                .build();
    }

    /** A pod name for an instance: its id and a random suffix (a new leader counts instance ids from 1 again). */
    static String podName(String instanceId) {
        var suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append("bcdfghjklmnpqrstvwxz2456789".charAt(RANDOM.nextInt(27)));
        }
        return instanceId + "-" + suffix;
    }

    private void seen(Pod pod) {
        var tracked = pods.get(pod.getMetadata().getName());
        if (tracked == null) {
            return;
        }
        var status = pod.getStatus();
        if (status == null) {
            return;
        }
        if (ReadyPods.isReady(pod)) {
            tracked.ready().complete(pod);
        }
        var phase = status.getPhase();
        if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
            var end = terminated(pod);
            gone(
                    pod.getMetadata().getName(),
                    phase.toLowerCase(Locale.ROOT)
                            + (end == null
                                    ? ""
                                    : ", exit code " + end.getExitCode()
                                            + (end.getReason() == null ? "" : " (" + end.getReason() + ")")
                                            + (end.getMessage() == null
                                                            || end.getMessage().isBlank()
                                                    ? ""
                                                    : ": " + end.getMessage().strip())),
                    end == null ? DELETED : end.getExitCode());
        }
    }

    private void gone(String name, String why, int exitCode) {
        var tracked = pods.remove(name);
        if (tracked == null) {
            return;
        }
        tracked.ready().completeExceptionally(new IllegalStateException("the pod " + why));
        tracked.exited().complete(exitCode);
    }

    /** How the pod's container ended, or null when it does not say. */
    private static ContainerStateTerminated terminated(Pod pod) {
        var statuses = pod.getStatus().getContainerStatuses();
        if (statuses == null) {
            return null;
        }
        for (ContainerStatus s : statuses) {
            var state = s.getState();
            if (state != null && state.getTerminated() != null) {
                return state.getTerminated();
            }
        }
        return null;
    }

    /** What the pod is stuck on, read from its status: not scheduled, an image not pulled, a container waiting. */
    private String whyNotReady(String name) {
        Pod pod;
        try {
            pod = client.pods().inNamespace(settings.namespace()).withName(name).get();
        } catch (KubernetesClientException e) {
            return "";
        }
        if (pod == null || pod.getStatus() == null) {
            return ": it was never scheduled";
        }
        var status = pod.getStatus();
        if (status.getContainerStatuses() != null) {
            for (ContainerStatus s : status.getContainerStatuses()) {
                var waiting = s.getState() == null ? null : s.getState().getWaiting();
                if (waiting != null && waiting.getReason() != null) {
                    return ": its container waits, " + waiting.getReason()
                            + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")");
                }
            }
        }
        if (status.getConditions() != null) {
            for (PodCondition c : status.getConditions()) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
                    return ": it cannot be scheduled, " + Objects.requireNonNullElse(c.getReason(), "")
                            + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
                }
            }
        }
        return ": it is " + Objects.requireNonNullElse(status.getPhase(), "pending");
    }

    /** The API's refusal as what to do about it. */
    private String explain(KubernetesClientException e, String verb, String what) {
        var where = what + " in namespace " + settings.namespace();
        return switch (e.getCode()) {
            case 401, 403 ->
                "the Kubernetes API refused to " + verb + " " + where + " (HTTP " + e.getCode()
                        + "): the gateways' service account needs the verbs of deploy/kubernetes/role.yaml";
            case 404 -> "cannot " + verb + " " + where + ": the namespace does not exist";
            case 409 -> "cannot " + verb + " " + where + ": one of that name exists already";
            case 422 ->
                "the Kubernetes API found " + where + " invalid: "
                        + e.getStatus().getMessage();
            default -> "cannot " + verb + " " + where + ": " + e.getMessage();
        };
    }

    private void delete(String name, Duration grace) {
        try {
            client.pods()
                    .inNamespace(settings.namespace())
                    .withName(name)
                    .withGracePeriod(grace.toSeconds())
                    .delete();
        } catch (KubernetesClientException e) {
            LOG.log(Level.WARNING, explain(e, "delete", "pod " + name));
        }
    }

    /**
     * Deletes every pod this driver started, waits (a grace period and a little more) until they are gone, and
     * deletes the Secrets it made for them; then stops watching.
     */
    @Override
    public void close() {
        var exits = pods.values().stream().map(Tracked::exited).toArray(CompletableFuture[]::new);
        for (var name : List.copyOf(pods.keySet())) {
            delete(name, CLOSE_GRACE);
        }
        try {
            CompletableFuture.allOf(exits).get(CLOSE_GRACE.plusSeconds(10).toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.log(Level.WARNING, pods.size() + " pods were not seen gone in time: " + pods.keySet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var name : secrets) {
            try {
                client.secrets()
                        .inNamespace(settings.namespace())
                        .withName(name)
                        .delete();
            } catch (KubernetesClientException e) {
                LOG.log(Level.WARNING, explain(e, "delete", "secret " + name));
            }
        }
        informer.close();
        for (var name : List.copyOf(pods.keySet())) {
            gone(name, "was deleted", DELETED);
        }
    }
}
