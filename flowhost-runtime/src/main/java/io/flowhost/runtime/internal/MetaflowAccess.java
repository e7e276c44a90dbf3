package io.flowhost.runtime.internal;

import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import io.flowhost.metaflow.PinnedRuns;
import io.flowhost.metaflow.error.MetaflowException;
import io.flowhost.sdk.ArtifactException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The instance's way into its Metaflow datastore, opened on first use (a service that reads no
 * Metaflow artifact never touches it), with the deployment's pins.
 */
public final class MetaflowAccess implements Supplier<PinnedRuns> {

    private final DatastoreOptions options;
    private final Map<String, String> initialPins;
    private PinnedRuns runs;

    public MetaflowAccess(DatastoreOptions options, Map<String, String> pins) {
        this.options = options;
        this.initialPins = Map.copyOf(pins);
    }

    @Override
    public synchronized PinnedRuns get() {
        if (options == null) {
            throw new ArtifactException("no Metaflow datastore is configured for metaflow:// references: start the "
                    + "server with --metaflow-root (a folder holding .metaflow, or s3://bucket/prefix), or set "
                    + Datastore.LOCAL_ROOT_VARIABLE + " or " + Datastore.S3_ROOT_VARIABLE);
        }
        if (runs == null) {
            try {
                runs = new PinnedRuns(Datastore.open(options), initialPins);
            } catch (MetaflowException e) {
                throw new ArtifactException(e.getMessage(), e);
            }
        }
        return runs;
    }

    /** The runs {@code latest} resolved to so far (the given pins and any resolved since). */
    public synchronized Map<String, String> pins() {
        return runs == null ? new TreeMap<>(initialPins) : runs.pins();
    }
}
