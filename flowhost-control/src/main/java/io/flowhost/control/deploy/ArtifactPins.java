package io.flowhost.control.deploy;

import io.flowhost.domain.deployment.DeploymentFailedException;
import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import io.flowhost.metaflow.MetaflowRef;
import io.flowhost.metaflow.PinnedRuns;
import io.flowhost.metaflow.error.MetaflowException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resolves the {@code metaflow://} references of a deployment once, when it is deployed: each
 * {@code latest} becomes the run id it means now, so that every instance started later, by a
 * restart or by scaling, loads the same run. A malformed reference is the caller's mistake
 * ({@link InvalidSettingsException}); a well-formed one that names nothing in the datastore
 * fails the deployment ({@link DeploymentFailedException}).
 */
final class ArtifactPins {

    private final DatastoreOptions options;
    private Datastore datastore;

    ArtifactPins(DatastoreOptions options) {
        this.options = options;
    }

    /** The settings and pins of a deployment: references in setting values pinned, the rest as given. */
    record Pinned(Map<String, String> settings, Map<String, String> pins) {}

    Pinned pin(Map<String, String> settings) throws DeploymentFailedException, InvalidSettingsException {
        // Every reference is parsed before the datastore is opened: the caller's own mistakes come first.
        var refs = new LinkedHashMap<String, MetaflowRef>();
        for (var entry : settings.entrySet()) {
            if (MetaflowRef.isReference(entry.getValue())) {
                refs.put(entry.getKey(), parse("setting " + entry.getKey(), entry.getValue()));
            }
        }
        var pinned = new LinkedHashMap<String, String>(settings);
        if (refs.isEmpty()) {
            return new Pinned(pinned, Map.of());
        }
        var runs = new PinnedRuns(datastore(), Map.of());
        for (var entry : refs.entrySet()) {
            pinned.put(
                    entry.getKey(), pin(runs, entry.getKey(), entry.getValue()).toString());
        }
        return new Pinned(pinned, runs.pins());
    }

    /** A model reference pinned, checked to name an artifact that exists. */
    Pinned pinModel(String reference) throws DeploymentFailedException, InvalidSettingsException {
        if (!MetaflowRef.isReference(reference)) {
            return new Pinned(Map.of(), Map.of());
        }
        var ref = parse("the model", reference);
        if (ref.artifact() == null) {
            throw new InvalidSettingsException("the model " + ref + " names a step, not an artifact: add the "
                    + "artifact's name, e.g. " + ref + "/model_onnx");
        }
        var runs = new PinnedRuns(datastore(), Map.of());
        var pinned = pin(runs, "the model", ref);
        try {
            pinned.resolve(runs.datastore());
        } catch (MetaflowException e) {
            throw new DeploymentFailedException("the model " + ref + ": " + e.getMessage());
        }
        return new Pinned(Map.of("model", pinned.toString()), runs.pins());
    }

    /** The reference, or the caller's mistake naming its bad part and what is allowed. */
    private static MetaflowRef parse(String what, String reference) throws InvalidSettingsException {
        try {
            return MetaflowRef.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(what + ": " + e.getMessage());
        }
    }

    /** The reference with its run pinned, or a failed deployment when the datastore has no such run. */
    private static MetaflowRef pin(PinnedRuns runs, String what, MetaflowRef ref) throws DeploymentFailedException {
        try {
            return runs.pin(ref);
        } catch (MetaflowException e) {
            throw new DeploymentFailedException(what + " (" + ref + "): " + e.getMessage());
        }
    }

    private synchronized Datastore datastore() throws DeploymentFailedException {
        if (options == null) {
            throw new DeploymentFailedException("metaflow:// references need a Metaflow datastore: start the server "
                    + "with --metaflow-root (a folder holding .metaflow, or s3://bucket/prefix), or set "
                    + Datastore.LOCAL_ROOT_VARIABLE + " or " + Datastore.S3_ROOT_VARIABLE);
        }
        if (datastore == null) {
            try {
                datastore = Datastore.open(options);
            } catch (MetaflowException e) {
                throw new DeploymentFailedException("the Metaflow datastore " + options.root() + ": " + e.getMessage());
            }
        }
        return datastore;
    }
}
