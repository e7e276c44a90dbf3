package io.flowhost.server.api;

import static io.flowhost.server.api.JsonResponses.json;
import static io.flowhost.server.api.JsonResponses.ok;
import static io.flowhost.server.api.Routes.allow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.table.InvalidKeyException;
import io.flowhost.domain.table.KeyType;
import io.flowhost.domain.table.TableVersion;
import io.flowhost.domain.table.UnknownKeyException;
import io.flowhost.domain.table.UnknownTableException;
import io.flowhost.gateway.observe.CallRecord;
import io.flowhost.tables.Found;
import io.flowhost.tables.LoadRequest;
import io.flowhost.tables.Tables;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.BadRequestException;
import io.flowhost.wire.protocol.NoRouteException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /v1/tables}: precomputed predictions, looked up by the gateway itself ({@code GET /v1/tables/{t}/{key}},
 * {@code POST /v1/tables/{t}/lookup}), loaded from a flow's artifact ({@code POST /v1/tables/{t}/load}), written
 * by a flow in batches ({@code POST /v1/tables/{t}/versions}, {@code PUT .../versions/{v}/rows}, {@code POST
 * .../versions/{v}/publish}, or {@code DELETE .../versions/{v}} to give it up), rolled back, listed and dropped.
 */
public final class TablesApi {

    static final String PREFIX = "/v1/tables";
    /** The header naming the version of the table that answered a lookup. */
    public static final String VERSION_HEADER = "X-Flowhost-Table-Version";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    /** What a lookup costs, for the metrics and the request log. */
    @FunctionalInterface
    public interface LookupObserver {
        /** @param table the table's name, or {@code unknown} when none such is published */
        void lookup(String table, int hits, int misses, long nanos, CallRecord record);
    }

    /** One version as the API shows it. */
    record VersionView(
            int version,
            String state,
            String keyType,
            long rows,
            long bytes,
            String source,
            String by,
            String createdAt,
            String publishedAt,
            long loadMs,
            String failure) {
        static VersionView of(TableVersion v) {
            return new VersionView(
                    v.version(),
                    v.state().name().toLowerCase(Locale.ROOT),
                    v.keyType().word(),
                    v.rows(),
                    v.bytes(),
                    v.source(),
                    v.by(),
                    v.createdAt().toString(),
                    v.publishedAt() == null ? null : v.publishedAt().toString(),
                    v.loadMillis(),
                    v.failure());
        }
    }

    /** A table: its current version, the one kept for a rollback, and those being built or failed. */
    record TableView(String name, VersionView current, VersionView previous, List<VersionView> others) {
        static TableView of(String name, List<TableVersion> versions) {
            VersionView current = null;
            VersionView previous = null;
            var others = new ArrayList<VersionView>();
            for (var v : versions) {
                switch (v.state()) {
                    case CURRENT -> current = VersionView.of(v);
                    case PREVIOUS -> previous = VersionView.of(v);
                    case RETIRED -> {}
                    default -> others.add(VersionView.of(v));
                }
            }
            return new TableView(name, current, previous, others);
        }
    }

    /** The tables. */
    record TablesView(List<TableView> tables) {}

    /** A version begun for rows written over HTTP: where they go, and where to publish it. */
    record BegunView(String table, int version, String keyType, String rows, String publish) {}

    private final Tables tables;
    private final LookupObserver observer;

    public TablesApi(Tables tables, LookupObserver observer) {
        this.tables = tables;
        this.observer = observer;
    }

    /** Whether a raw path is {@code /v1/tables/{table}/{key}}: a lookup of one key. */
    public static boolean isKeyLookup(String rawPath) {
        if (!rawPath.startsWith(PREFIX + "/")) {
            return false;
        }
        int slash = rawPath.indexOf('/', PREFIX.length() + 1);
        return slash > PREFIX.length() + 1 && slash < rawPath.length() - 1 && rawPath.indexOf('/', slash + 1) < 0;
    }

    /** {@code GET /v1/tables/{table}/{key}}, given its raw path (see {@link #isKeyLookup}). */
    public FullHttpResponse lookup(String rawPath, long bytesIn, String requestId) {
        int slash = rawPath.indexOf('/', PREFIX.length() + 1);
        var table = TableVersion.checkName(decode(rawPath.substring(PREFIX.length() + 1, slash)));
        return get(table, decode(rawPath.substring(slash + 1)), bytesIn, requestId);
    }

    static boolean owns(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /**
     * Answers a request under {@code /v1/tables}.
     *
     * @param rawPath the path as sent (not yet decoded), so that a key may hold an encoded '/'
     */
    FullHttpResponse handle(
            HttpMethod method,
            String rawPath,
            Map<String, List<String>> query,
            byte[] body,
            String by,
            String requestId)
            throws Exception {
        if (rawPath.equals(PREFIX) || rawPath.equals(PREFIX + "/")) {
            allow(method, PREFIX, HttpMethod.GET);
            return ok(list(), requestId);
        }
        var parts = rawPath.substring(PREFIX.length() + 1).split("/", -1);
        var table = TableVersion.checkName(decode(parts[0]));
        var who = by == null ? "local" : by;
        if (parts.length == 1) {
            allow(method, rawPath, HttpMethod.GET, HttpMethod.DELETE);
            if (method.equals(HttpMethod.DELETE)) {
                return ok(Map.of("table", table, "droppedVersions", tables.drop(table)), requestId);
            }
            return ok(TableView.of(table, tables.versions(table)), requestId);
        }
        if (parts.length == 2) {
            var step = decode(parts[1]);
            if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
                return get(table, step, body.length, requestId);
            }
            allow(method, rawPath, HttpMethod.GET, HttpMethod.POST);
            return switch (step) {
                case "lookup" -> lookup(table, body, requestId);
                case "load" -> load(table, body, who, requestId);
                case "rollback" -> ok(VersionView.of(tables.rollback(table)), requestId);
                case "versions" -> begin(table, query, who, requestId);
                default ->
                    throw new NoRouteException("no table step '" + step + "': POST " + PREFIX + "/" + table
                            + "/lookup, /load, /rollback or /versions; GET " + PREFIX + "/" + table + "/{key}");
            };
        }
        if (parts.length == 3 && parts[1].equals("versions")) {
            allow(method, rawPath, HttpMethod.DELETE);
            return ok(VersionView.of(tables.abandon(table, version(parts[2]), "abandoned by " + who)), requestId);
        }
        if (parts.length == 4 && parts[1].equals("versions")) {
            int version = version(parts[2]);
            switch (parts[3]) {
                case "rows" -> {
                    allow(method, rawPath, HttpMethod.PUT, HttpMethod.GET);
                    if (method.equals(HttpMethod.GET)) {
                        return page(table, version, query, requestId);
                    }
                    long rows = tables.put(table, version, new ByteArrayInputStream(body));
                    return ok(Map.of("table", table, "version", version, "rows", rows), requestId);
                }
                case "publish" -> {
                    allow(method, rawPath, HttpMethod.POST);
                    var expected = last(query, "rows");
                    return ok(
                            VersionView.of(tables.publish(table, version, expected == null ? null : count(expected))),
                            requestId);
                }
                default -> {}
            }
        }
        throw new NoRouteException("no route " + rawPath + "; a table's rows are written to " + PREFIX + "/" + table
                + "/versions/{version}/rows and published at " + PREFIX + "/" + table + "/versions/{version}/publish");
    }

    private TablesView list() {
        var byTable = new LinkedHashMap<String, List<TableVersion>>();
        for (var v : tables.list()) {
            byTable.computeIfAbsent(v.table(), t -> new ArrayList<>()).add(v);
        }
        return new TablesView(byTable.entrySet().stream()
                .map(e -> TableView.of(e.getKey(), e.getValue()))
                .toList());
    }

    private FullHttpResponse get(String table, String key, long bytesIn, String requestId) {
        long start = System.nanoTime();
        var record = record("get", requestId, bytesIn);
        Found found;
        try {
            found = tables.get(table, key);
        } catch (UnknownTableException | InvalidKeyException e) {
            observe(e instanceof UnknownTableException ? "unknown" : table, 0, 0, start, record, status(e), null);
            throw e;
        }
        if (!found.hit()) {
            observe(table, 0, 1, start, record, 404, found);
            throw new UnknownKeyException(table, found.version(), found.key());
        }
        var response = Responses.response(200, Responses.JSON, Unpooled.wrappedBuffer(found.value()), requestId);
        response.headers().set(VERSION_HEADER, found.version());
        record.answered(200, found.value().length);
        observe(table, 1, 0, start, record, 200, found);
        return response;
    }

    private FullHttpResponse lookup(String table, byte[] body, String requestId) throws IOException {
        long start = System.nanoTime();
        var record = record("lookup", requestId, body.length);
        var keys = keys(body);
        List<Found> found;
        try {
            found = tables.getAll(table, keys);
        } catch (UnknownTableException | InvalidKeyException e) {
            observe(e instanceof UnknownTableException ? "unknown" : table, 0, 0, start, record, status(e), null);
            throw e;
        }
        // The values are written as stored, never parsed: {"table", "version", "values": {key: value}, "missing"}.
        var out = new ByteArrayOutputStream(256);
        int hits = 0;
        try (var g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("table", table);
            g.writeNumberField(
                    "version",
                    found.isEmpty()
                            ? tables.served(table).version()
                            : found.getFirst().version());
            g.writeObjectFieldStart("values");
            var missing = new ArrayList<String>();
            for (var f : found) {
                if (f.hit()) {
                    hits++;
                    g.writeFieldName(f.key());
                    g.writeRawValue(new String(f.value(), StandardCharsets.UTF_8));
                } else {
                    missing.add(f.key());
                }
            }
            g.writeEndObject();
            g.writeArrayFieldStart("missing");
            for (var m : missing) {
                g.writeString(m);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        var bytes = out.toByteArray();
        record.answered(200, bytes.length);
        observe(table, hits, found.size() - hits, start, record, 200, found.isEmpty() ? null : found.getFirst());
        return Responses.response(200, Responses.JSON, Unpooled.wrappedBuffer(bytes), requestId);
    }

    private static List<String> keys(byte[] body) throws IOException {
        JsonNode tree = body.length == 0 ? null : JSON.readTree(body);
        var keys = tree == null ? null : tree.get("keys");
        if (keys == null || !keys.isArray()) {
            throw new BadRequestException("a lookup's body is {\"keys\": [\"u1\", \"u2\"]}");
        }
        var out = new ArrayList<String>(keys.size());
        for (var k : keys) {
            if (!k.isTextual() && !k.isIntegralNumber()) {
                throw new BadRequestException("keys are strings or integers; " + k + " is neither");
            }
            out.add(k.asText());
        }
        return out;
    }

    /**
     * A page of a version's rows, as {@code PUT .../rows} takes them (one JSON object, key → value), the key the
     * next page starts after in a header: what another gateway copies a version written here from.
     */
    private FullHttpResponse page(String table, int version, Map<String, List<String>> query, String requestId)
            throws IOException {
        var limit = last(query, "limit");
        var page = tables.page(
                table, version, last(query, "after"), limit == null ? Integer.MAX_VALUE : (int) count(limit));
        var out = new ByteArrayOutputStream(64 * 1024);
        try (var g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            for (int i = 0; i < page.keys().size(); i++) {
                g.writeFieldName(page.keys().get(i));
                g.writeRawValue(new String(page.values().get(i), StandardCharsets.UTF_8));
            }
            g.writeEndObject();
        }
        var response = Responses.response(200, Responses.JSON, Unpooled.wrappedBuffer(out.toByteArray()), requestId);
        if (page.next() != null) {
            response.headers().set(Tables.NEXT_HEADER, page.next());
        }
        return response;
    }

    private FullHttpResponse load(String table, byte[] body, String by, String requestId) throws Exception {
        var tree = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        var request = new LoadRequest(text(tree, "source"), text(tree, "key"), text(tree, "value"));
        return json(201, VersionView.of(tables.load(table, request, by)), requestId);
    }

    private FullHttpResponse begin(String table, Map<String, List<String>> query, String by, String requestId) {
        var type = last(query, "key-type");
        KeyType keyType;
        try {
            keyType = type == null ? KeyType.STRING : KeyType.parse(type);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("key-type=" + type + ": a table's keys are 'string' or 'integer'");
        }
        var v = tables.begin(table, keyType, by);
        var base = PREFIX + "/" + table + "/versions/" + v.version();
        var response = json(
                201, new BegunView(table, v.version(), keyType.word(), base + "/rows", base + "/publish"), requestId);
        response.headers().set(HttpHeaderNames.LOCATION, base);
        return response;
    }

    private CallRecord record(String endpoint, String requestId, long bytesIn) {
        var record = new CallRecord();
        record.mode("table");
        record.ids(requestId, null);
        record.bytesIn(bytesIn);
        record.target(null, null, null, null, endpoint);
        return record;
    }

    private void observe(String table, int hits, int misses, long start, CallRecord record, int status, Found found) {
        record.target(table, found == null ? null : table + "@" + found.version(), null, null, record.endpoint());
        if (status != 200) {
            record.answered(status, 0);
        }
        observer.lookup(table, hits, misses, System.nanoTime() - start, record);
    }

    private static int status(RuntimeException e) {
        return e instanceof UnknownTableException ? 404 : 400;
    }

    private static String decode(String segment) {
        return QueryStringDecoder.decodeComponent(segment);
    }

    private static int version(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequestException("'" + text + "' is not a version number (1, 2, ...)");
        }
    }

    private static long count(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadRequestException("rows=" + text + ": the number of rows the writer sent");
        }
    }

    private static String last(Map<String, List<String>> query, String name) {
        var values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getLast();
    }

    private static String text(JsonNode tree, String field) {
        var node = tree.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
