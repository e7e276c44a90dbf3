package io.flowhost.domain.deployment;

import io.flowhost.domain.rollout.Rollout;
import io.flowhost.domain.rollout.Variant;
import io.flowhost.domain.scaling.ScalingSettings;
import io.flowhost.domain.service.ServiceDescriptor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One immutable version of a service: its jar, what the jar offers, and its settings.
 *
 * @param id {@code <service>-v<version>}, e.g. {@code iris-v3}
 * @param service the service name
 * @param version 1 for a service's first deployment, then counting up
 * @param jarSha256 the jar's SHA-256, which names its copy under the data dir
 * @param jar the server's copy of the jar
 * @param descriptor the service class and endpoints found in the jar
 * @param settings the settings handed to the service
 * @param state whether it serves traffic
 * @param createdAt when it was deployed
 * @param pins the Metaflow runs its {@code latest} references resolved to when it was deployed
 *             ({@code Flow} or {@code Flow?tag=t} → run id); every instance loads these runs
 * @param model for a zero-code ONNX deployment, the model's reference (with its run pinned); else null
 * @param scaling how many instances it runs and when, checked
 * @param retention how long its async calls wait and their results are kept, and how many may queue
 * @param resources what each of its instances needs of a node, when instances are pods
 * @param access who may call it and how often
 * @param rollout how it came in beside its service's primary (a canary or a shadow), or null for a version that
 *                replaced the one before at once
 */
public record Deployment(
        String id,
        String service,
        int version,
        String jarSha256,
        Path jar,
        ServiceDescriptor descriptor,
        Map<String, String> settings,
        State state,
        Instant createdAt,
        Map<String, String> pins,
        String model,
        ScalingSettings scaling,
        Retention retention,
        Resources resources,
        Access access,
        Rollout rollout) {

    /** The setting with the share of calls whose predictions are logged (0, the default, logs none). */
    public static final String PREDICTION_SAMPLE_RATE = "flowhost.prediction-sample-rate";

    /** The service a deployment id names: ids are {@code <service>-v<version>}. */
    public static String serviceOf(String id) {
        int at = id.lastIndexOf("-v");
        return at > 0 ? id.substring(0, at) : id;
    }

    public Deployment {
        settings = Map.copyOf(settings);
        pins = Map.copyOf(pins);
        resources = resources == null ? Resources.none() : resources;
        access = access == null ? Access.open() : access;
    }

    /** A deployment that replaced its service's version before it at once. */
    public Deployment(
            String id,
            String service,
            int version,
            String jarSha256,
            Path jar,
            ServiceDescriptor descriptor,
            Map<String, String> settings,
            State state,
            Instant createdAt,
            Map<String, String> pins,
            String model,
            ScalingSettings scaling,
            Retention retention,
            Resources resources,
            Access access) {
        this(
                id,
                service,
                version,
                jarSha256,
                jar,
                descriptor,
                settings,
                state,
                createdAt,
                pins,
                model,
                scaling,
                retention,
                resources,
                access,
                null);
    }

    /** A deployment open to every caller. */
    public Deployment(
            String id,
            String service,
            int version,
            String jarSha256,
            Path jar,
            ServiceDescriptor descriptor,
            Map<String, String> settings,
            State state,
            Instant createdAt,
            Map<String, String> pins,
            String model,
            ScalingSettings scaling,
            Retention retention,
            Resources resources) {
        this(
                id,
                service,
                version,
                jarSha256,
                jar,
                descriptor,
                settings,
                state,
                createdAt,
                pins,
                model,
                scaling,
                retention,
                resources,
                Access.open());
    }

    /** A deployment that asks nothing particular of a node, open to every caller. */
    public Deployment(
            String id,
            String service,
            int version,
            String jarSha256,
            Path jar,
            ServiceDescriptor descriptor,
            Map<String, String> settings,
            State state,
            Instant createdAt,
            Map<String, String> pins,
            String model,
            ScalingSettings scaling,
            Retention retention) {
        this(
                id,
                service,
                version,
                jarSha256,
                jar,
                descriptor,
                settings,
                state,
                createdAt,
                pins,
                model,
                scaling,
                retention,
                Resources.none(),
                Access.open());
    }

    /** Whether a deployment serves its service's traffic. */
    public enum State {
        /** The service's current version: it serves the calls. */
        ACTIVE,
        /** Replaced by a newer version or undeployed: kept for the record. */
        RETIRED
    }

    /** This deployment asking other resources of a node. */
    public Deployment withResources(Resources other) {
        return copy(state, jar, pins, other, rollout);
    }

    /** This deployment with its jar at another path (this server's copy of the same bytes). */
    public Deployment withJar(Path copy) {
        return copy(state, copy, pins, resources, rollout);
    }

    /** This deployment in another state. */
    public Deployment withState(State newState) {
        return copy(newState, jar, pins, resources, rollout);
    }

    /** This deployment with more pins (those reported by its first instance). */
    public Deployment withPins(Map<String, String> more) {
        var all = new TreeMap<>(pins);
        all.putAll(more);
        return copy(state, jar, all, resources, rollout);
    }

    /** This deployment with its rollout moved on. */
    public Deployment withRollout(Rollout changed) {
        return copy(state, jar, pins, resources, changed);
    }

    /** What it is to its service now: a canary or shadow while its rollout is live, else the primary. */
    public Variant variant() {
        return rollout != null && rollout.state().live() ? rollout.variant() : Variant.PRIMARY;
    }

    /** A copy with what the withers change; the rest of a deployment never changes once it is made. */
    private Deployment copy(
            State newState, Path newJar, Map<String, String> newPins, Resources newResources, Rollout newRollout) {
        return new Deployment(
                id,
                service,
                version,
                jarSha256,
                newJar,
                descriptor,
                settings,
                newState,
                createdAt,
                newPins,
                model,
                scaling,
                retention,
                newResources,
                access,
                newRollout);
    }

    /** Whether it serves an ONNX model over the Open Inference Protocol rather than a service class. */
    public boolean servesOnnx() {
        return model != null;
    }
}
