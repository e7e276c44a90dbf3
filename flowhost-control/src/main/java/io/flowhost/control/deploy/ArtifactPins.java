package io.flowhost.control.deploy;

import io.flowhost.domain.deployment.DeploymentFailedException;
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
 * restart or by scaling, loads the same run.
 */
final class ArtifactPins {

    private final DatastoreOptions options;
    private Datastore datastore;

    ArtifactPins(DatastoreOptions options) {
        this.options = options;
    }

    /** The settings and pins of a deployment: references in setting values pinned, the rest as given. */
    record Pinned(Map<String, String> settings, Map<String, String> pins) {}

    Pinned pin(Map<String, String> settings) throws DeploymentFailedException {
        var pinned = new LinkedHashMap<String, String>();
        PinnedRuns runs = null;
        for (var entry : settings.entrySet()) {
            var value = entry.getValue();
            if (MetaflowRef.isReference(value)) {
                runs = runs == null ? new PinnedRuns(datastore(), Map.of()) : runs;
                value = pin(runs, entry.getKey(), value).toString();
            }
            pinned.put(entry.getKey(), value);
        }
        return new Pinned(pinned, runs == null ? Map.of() : runs.pins());
    }

    /** A model reference pinned, checked to name an artifact that exists. */
    Pinned pinModel(String reference) throws DeploymentFailedException {
        if (!MetaflowRef.isReference(reference)) {
            return new Pinned(Map.of(), Map.of());
        }
        var runs = new PinnedRuns(datastore(), Map.of());
        var ref = pin(runs, "the model", reference);
        try {
            ref.resolve(runs.datastore());
        } catch (MetaflowException e) {
            throw new DeploymentFailedException("the model " + reference + ": " + e.getMessage());
        }
        return new Pinned(Map.of("model", ref.toString()), runs.pins());
    }

    private MetaflowRef pin(PinnedRuns runs, String what, String reference) throws DeploymentFailedException {
        try {
            return runs.pin(MetaflowRef.parse(reference));
        } catch (IllegalArgumentException | MetaflowException e) {
            throw new DeploymentFailedException(what + " (" + reference + "): " + e.getMessage());
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
