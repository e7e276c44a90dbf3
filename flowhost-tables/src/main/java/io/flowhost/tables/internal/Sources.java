package io.flowhost.tables.internal;

import io.flowhost.domain.table.TableSourceException;
import io.flowhost.domain.table.TableVersion;
import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import io.flowhost.metaflow.MetaflowRef;
import java.io.BufferedInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

/**
 * Where a version's rows come from: a Metaflow artifact (its run pinned, so that every gateway reads the same one), a
 * file, or the gateway they were written to.
 */
public final class Sources {

    /** The header of a page of rows naming the key the next page starts after; absent on the last page. */
    public static final String NEXT_HEADER = "X-Flowhost-Next-After";

    private final DatastoreOptions metaflow;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

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
        if (isGateway(v.source())) {
            return new Rows(v.table(), v.keyType(), Rows.DEFAULT_KEY_FIELD, null);
        }
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

    /** Reads a version's rows from its source into the sink. */
    public void read(TableVersion v, Rows rows, Rows.Sink sink) throws Exception {
        if (isGateway(v.source())) {
            copyFrom(v, rows, sink);
            return;
        }
        var pinned = withoutFragment(v.source());
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

    /** Whether the source is the gateway a version was written to. */
    private static boolean isGateway(String source) {
        return source.startsWith("http://") || source.startsWith("https://");
    }

    /** Copies a version written to another gateway from it, page by page ({@code GET .../versions/{v}/rows}). */
    private void copyFrom(TableVersion v, Rows rows, Rows.Sink sink) throws Exception {
        var base = v.source().replaceAll("/+$", "") + "/v1/tables/" + v.table() + "/versions/" + v.version() + "/rows";
        String after = null;
        do {
            var uri = URI.create(
                    base + (after == null ? "" : "?after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
            var answer = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofMinutes(2))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (var body = answer.body()) {
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("GET " + uri + " answered " + answer.statusCode() + ": "
                            + new String(body.readNBytes(2048), StandardCharsets.UTF_8));
                }
                var next = answer.headers().firstValue(NEXT_HEADER);
                rows.fromJsonObject(body, sink);
                after = next.orElse(null);
            }
        } while (after != null);
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
