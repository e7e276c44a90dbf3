package io.flowhost.tables.internal;

import io.flowhost.domain.table.TableSourceException;
import io.flowhost.domain.table.TableVersion;
import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import io.flowhost.metaflow.MetaflowRef;
import java.io.BufferedInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

/** Where a load's rows come from: a Metaflow artifact (its run pinned, so that every gateway reads the same one), or a file. */
public final class Sources {

    private final DatastoreOptions metaflow;

    /** @param metaflow the datastore {@code metaflow://} references read, or null when there is none */
    public Sources(DatastoreOptions metaflow) {
        this.metaflow = metaflow;
    }

    /**
     * The source as a version records it, enough to read the same rows again on any gateway: a {@code metaflow://}
     * reference with its run pinned, or a file's URI, and the record fields when they are not the defaults
     * ({@code #key=user&value=score}).
     */
    public String pin(String source, String keyField, String valueField) {
        String pinned;
        if (MetaflowRef.isReference(source)) {
            var ref = parse(source);
            if (ref.isLatest()) {
                try (var datastore = open()) {
                    ref = ref.pinned(ref.resolveRun(datastore).id());
                }
            }
            pinned = ref.toString();
        } else {
            pinned = file(source).toUri().toString();
        }
        var fields = new ArrayList<String>();
        if (!keyField.equals(Rows.DEFAULT_KEY_FIELD)) {
            fields.add("key=" + keyField);
        }
        if (valueField != null) {
            fields.add("value=" + valueField);
        }
        return fields.isEmpty() ? pinned : pinned + "#" + String.join("&", fields);
    }

    /** Rows for a version, reading records by the fields its source names. */
    public Rows rows(TableVersion v) {
        var fragment = fragment(v.source());
        String key = Rows.DEFAULT_KEY_FIELD;
        String value = null;
        if (fragment != null) {
            for (var part : fragment.split("&")) {
                if (part.startsWith("key=")) {
                    key = part.substring(4);
                } else if (part.startsWith("value=")) {
                    value = part.substring(6);
                }
            }
        }
        return new Rows(v.table(), null, key, value);
    }

    /** Whether a version's rows can be read again from its source (not the case for rows written over HTTP). */
    public static boolean rereadable(String pinned) {
        return MetaflowRef.isReference(pinned) || pinned.startsWith("file:");
    }

    /** Reads a pinned source's rows into the sink. */
    public void read(String source, Rows rows, Rows.Sink sink) throws Exception {
        var pinned = withoutFragment(source);
        if (MetaflowRef.isReference(pinned)) {
            var ref = parse(pinned);
            Object value;
            try (var datastore = open()) {
                value = ref.resolve(datastore).value();
            }
            rows.fromValue(value, "artifact " + ref, sink);
            return;
        }
        var path = file(pinned);
        try (var in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            rows.fromJsonLines(in, path.toString(), sink);
        }
    }

    private static String fragment(String source) {
        int hash = source.indexOf('#');
        return hash < 0 ? null : source.substring(hash + 1);
    }

    private static String withoutFragment(String source) {
        int hash = source.indexOf('#');
        return hash < 0 ? source : source.substring(0, hash);
    }

    private static MetaflowRef parse(String source) {
        try {
            return MetaflowRef.parse(source);
        } catch (IllegalArgumentException e) {
            throw new TableSourceException(e.getMessage());
        }
    }

    private Datastore open() {
        if (metaflow == null) {
            throw new TableSourceException("this server reads no Metaflow datastore: start it with --metaflow-root (or"
                    + " set " + Datastore.LOCAL_ROOT_VARIABLE + " or " + Datastore.S3_ROOT_VARIABLE + ")");
        }
        return Datastore.open(metaflow);
    }

    private static Path file(String source) {
        Path path;
        try {
            path = source.startsWith("file:") ? Path.of(URI.create(source)) : Path.of(source);
        } catch (IllegalArgumentException e) {
            throw new TableSourceException("'" + source + "' is neither metaflow://Flow/run/step/artifact nor a file"
                    + " (file:/path/rows.jsonl): " + e.getMessage());
        }
        if (!path.isAbsolute()) {
            throw new TableSourceException("'" + source + "': a file is named by its absolute path on the server's"
                    + " machine (file:/path/rows.jsonl), or the source is metaflow://Flow/run/step/artifact");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new TableSourceException("'" + source + "': no readable file " + path + " on the server's machine");
        }
        return path;
    }
}
