package io.flowhost.metaflow;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves references against a datastore so that {@code latest} means one run for good: the
 * first resolution of {@code metaflow://Flow/latest/...} (per flow and tag) is pinned, and the
 * pins can be handed on, so that every instance of a deployment loads the same run even after
 * a newer one succeeds.
 */
public final class PinnedRuns {

    private final Datastore datastore;
    private final Map<String, String> pins;

    /** Starts from the given pins ({@link #key} → run id); more are added as references resolve. */
    public PinnedRuns(Datastore datastore, Map<String, String> pins) {
        this.datastore = datastore;
        this.pins = new ConcurrentHashMap<>(pins);
    }

    /** The pin key of a {@code latest} reference: {@code Flow}, or {@code Flow?tag=t}. */
    public static String key(MetaflowRef ref) {
        return ref.flow() + (ref.tag() == null ? "" : "?tag=" + ref.tag());
    }

    /** The reference with {@code latest} replaced by its pinned run id (pinning it now if needed); a run id is checked to exist. */
    public MetaflowRef pin(MetaflowRef ref) {
        if (!ref.isLatest()) {
            ref.resolveRun(datastore);
            return ref;
        }
        var run =
                pins.computeIfAbsent(key(ref), key -> ref.resolveRun(datastore).id());
        return ref.pinned(run);
    }

    /** The artifact the reference names, with {@code latest} pinned. */
    public Artifact resolve(MetaflowRef ref) {
        return pin(ref).resolve(datastore);
    }

    /** The pins so far, sorted by key. */
    public Map<String, String> pins() {
        return new TreeMap<>(pins);
    }

    public Datastore datastore() {
        return datastore;
    }
}
