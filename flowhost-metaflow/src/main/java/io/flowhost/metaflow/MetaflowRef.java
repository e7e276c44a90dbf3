package io.flowhost.metaflow;

import io.flowhost.metaflow.error.NotFoundException;
import io.flowhost.metaflow.internal.Quoted;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A reference to an artifact, {@code metaflow://<Flow>/<run-id|latest>/<step>/<artifact>}, or to a
 * step whose artifacts a service reads, {@code metaflow://<Flow>/<run-id|latest>/<step>}, where
 * {@code latest} means the latest successful run, optionally only among runs with a tag
 * ({@code ?tag=production}).
 *
 * @param flow the flow name
 * @param run a run id, or {@code latest}
 * @param step the step name
 * @param artifact the artifact name, or null for a reference to the step
 * @param tag for {@code latest}: only runs with this tag count; null for any
 */
public record MetaflowRef(String flow, String run, String step, String artifact, String tag) {

    /** The scheme of artifact references. */
    public static final String SCHEME = "metaflow://";
    /** The run name meaning "the latest successful run". */
    public static final String LATEST = "latest";

    /** Checks each part is one plain name (they become paths in the datastore), and that a tag goes with latest. */
    public MetaflowRef {
        Names.check("the flow name", flow);
        Names.check("the run id", run);
        Names.check("the step name", step);
        if (artifact != null) {
            Names.check("the artifact name", artifact);
        }
        if (tag != null) {
            Names.checkTag(tag);
            if (!LATEST.equals(run)) {
                throw new IllegalArgumentException("?tag= only goes with 'latest' (metaflow://" + flow + "/latest/"
                        + step + (artifact == null ? "" : "/" + artifact) + "?tag=" + tag
                        + "): a run id already names one run");
            }
        }
    }

    /** Whether the text is a Metaflow reference at all. */
    public static boolean isReference(String text) {
        return text != null && text.startsWith(SCHEME);
    }

    /**
     * Parses a reference; fails with IllegalArgumentException giving the expected form when it is not one, or
     * naming the part that is not one plain name ({@code ..}, empty, with a separator or a control character).
     */
    public static MetaflowRef parse(String text) {
        if (!isReference(text)) {
            throw new IllegalArgumentException(Quoted.of(text) + " is not a Metaflow reference (expected "
                    + "metaflow://Flow/<run-id|latest>/step/artifact[?tag=...])");
        }
        var rest = text.substring(SCHEME.length());
        String tag = null;
        int query = rest.indexOf('?');
        if (query >= 0) {
            tag = tag(rest.substring(query + 1), text);
            rest = rest.substring(0, query);
        }
        var parts = rest.split("/", -1);
        if (parts.length != 3 && parts.length != 4) {
            throw new IllegalArgumentException(Quoted.of(text) + " has " + parts.length + " parts (expected "
                    + "metaflow://Flow/<run-id|latest>/step/artifact, or .../step for a step)");
        }
        try {
            return new MetaflowRef(parts[0], parts[1], parts[2], parts.length == 4 ? parts[3] : null, tag);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Quoted.of(text) + ": " + e.getMessage(), e);
        }
    }

    private static String tag(String query, String text) {
        for (var pair : query.split("&")) {
            if (pair.startsWith("tag=") && pair.length() > 4) {
                // Only %XX escapes: a '+' in a tag is a '+' (URLDecoder alone would make it a space).
                return URLDecoder.decode(pair.substring(4).replace("+", "%2B"), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalArgumentException(Quoted.of(text) + " has a query other than ?tag=<tag>");
    }

    /** Whether the run is {@code latest}, to be resolved to an id. */
    public boolean isLatest() {
        return LATEST.equals(run);
    }

    /** This reference with the run fixed to an id (what a deployment records). */
    public MetaflowRef pinned(String runId) {
        return new MetaflowRef(flow, runId, step, artifact, null);
    }

    /** Finds the run this reference names in a datastore. */
    public Run resolveRun(Datastore datastore) {
        var flowObject = datastore.flow(flow);
        if (!isLatest()) {
            return flowObject.run(run);
        }
        Optional<Run> latest = flowObject.latestSuccessfulRun(tag);
        return latest.orElseThrow(() -> new NotFoundException("flow " + flow + " has no successful run"
                + (tag == null ? "" : " tagged '" + tag + "'") + " in " + datastore.describe()));
    }

    /** Finds the artifact this reference names in a datastore. */
    public Artifact resolve(Datastore datastore) {
        if (artifact == null) {
            throw new IllegalArgumentException(this + " names a step, not an artifact: add the artifact's name, e.g. "
                    + SCHEME + flow + "/" + run + "/" + step + "/model");
        }
        return resolveRun(datastore).artifact(step, artifact);
    }

    @Override
    public String toString() {
        return SCHEME + flow + "/" + run + "/" + step + (artifact == null ? "" : "/" + artifact)
                + (tag == null ? "" : "?tag=" + tag);
    }
}
