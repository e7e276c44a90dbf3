package io.flowhost.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowhost table ...}: precomputed predictions, looked up by the gateway itself. */
@Command(
        name = "table",
        mixinStandardHelpOptions = true,
        description = {
            "Tables of precomputed predictions: a flow fills a version, the gateway answers lookups from it"
                    + " (GET /v1/tables/NAME/KEY) with no instance in between.",
        },
        subcommands = {
            TableCommand.Load.class,
            TableCommand.ListTables.class,
            TableCommand.Get.class,
            TableCommand.Rollback.class,
            TableCommand.Drop.class
        })
final class TableCommand implements Runnable {

    @Override
    public void run() {
        throw new CliException("name what to do: flowhost table load|list|get|rollback|drop (see --help)", 2);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Command(
            name = "load",
            mixinStandardHelpOptions = true,
            description = {
                "Fill a new version of a table and publish it: lookups read it from the next one on, the previous"
                        + " version is kept for 'flowhost table rollback'.",
                "SOURCE is metaflow://Flow/latest/end/artifact (a dict, a list of records, or JSON Lines text,"
                        + " read by the server from its datastore), file:/path/rows.jsonl on the server's machine,"
                        + " or a JSON Lines file here, sent in batches."
            })
    static final class Load implements Runnable {

        private static final int BATCH_ROWS = 10_000;
        private static final int BATCH_BYTES = 4 * 1024 * 1024;
        private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

        @Parameters(index = "0", paramLabel = "NAME", description = "The table, e.g. recs.")
        String table;

        @Parameters(index = "1", paramLabel = "SOURCE", description = "Where the rows are (see above).")
        String source;

        @Option(names = "--key", paramLabel = "FIELD", description = "The field of each record that is its key (key).")
        String key;

        @Option(
                names = "--value",
                paramLabel = "FIELD",
                description = "The field of each record that is its value (default: the whole record).")
        String value;

        @Option(
                names = "--key-type",
                paramLabel = "TYPE",
                description = "A local file's keys: string or integer (string).")
        String keyType = "string";

        @Option(names = "--json", description = "Print the server's JSON instead.")
        boolean json;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var api = client.client();
            JsonNode version;
            if (!source.startsWith("metaflow:") && !source.startsWith("file:")) {
                var local = Path.of(source);
                if (!Files.isRegularFile(local)) {
                    throw new CliException(
                            "'" + source + "' is no file here, nor metaflow://Flow/run/step/artifact,"
                                    + " nor file:/path on the server's machine",
                            2);
                }
                version = upload(api, local);
            } else {
                var body = new ObjectMapper().createObjectNode().put("source", source);
                if (key != null) {
                    body.put("key", key);
                }
                if (value != null) {
                    body.put("value", value);
                }
                System.err.println("loading " + table + " from " + source + " (the server reads it; a large artifact"
                        + " takes a while) ...");
                version = api.json(api.request("/v1/tables/" + encode(table) + "/load")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
            }
            if (json) {
                System.out.println(version.toPrettyString());
                return;
            }
            System.out.printf(
                    Locale.ROOT,
                    "Published %s version %d: %,d rows (%s keys), %s on disk, built in %,d ms%n  from %s%n"
                            + "  look up: curl %s/v1/tables/%s/KEY%n",
                    table,
                    version.path("version").asInt(),
                    version.path("rows").asLong(),
                    version.path("keyType").asText(),
                    Conversions.bytes(version.path("bytes").asLong()),
                    version.path("loadMs").asLong(),
                    version.path("source").asText(),
                    api.base().toString().replaceAll("/$", ""),
                    table);
        }

        /** Sends a local JSON Lines file in batches of rows, then publishes the version with their count. */
        private JsonNode upload(ApiClient api, Path file) {
            var begun = api.json(api.request("/v1/tables/" + encode(table) + "/versions?key-type=" + encode(keyType))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            var rowsPath = begun.path("rows").asText();
            try {
                return send(api, file, begun, rowsPath);
            } catch (RuntimeException e) {
                // nothing half-written stays behind on the server
                api.send(api.request("/v1/tables/" + encode(table) + "/versions/"
                                + begun.path("version").asInt())
                        .DELETE());
                throw e;
            }
        }

        private JsonNode send(ApiClient api, Path file, JsonNode begun, String rowsPath) {
            var mapper = new ObjectMapper();
            JsonFactory factory = mapper.getFactory();
            var keyField = key == null ? "key" : key;
            long sent = 0;
            long started = System.nanoTime();
            long shown = started;
            var batch = new ByteArrayOutputStream(BATCH_BYTES + 65_536);
            try (var lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                JsonGenerator out = null;
                int inBatch = 0;
                String line;
                long lineNumber = 0;
                while ((line = lines.readLine()) != null) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    var record = mapper.readTree(line);
                    var k = record.get(keyField);
                    if (k == null || k.isNull() || k.isContainerNode()) {
                        throw new CliException(
                                file + " line " + lineNumber + ": no '" + keyField + "' (name the key"
                                        + " field with --key)",
                                2);
                    }
                    var v = value == null ? record : record.get(value);
                    if (v == null) {
                        throw new CliException(file + " line " + lineNumber + ": no '" + value + "'", 2);
                    }
                    if (out == null) {
                        batch.reset();
                        out = factory.createGenerator(batch);
                        out.writeStartObject();
                    }
                    out.writeFieldName(k.asText());
                    mapper.writeTree(out, v);
                    inBatch++;
                    sent++;
                    if (inBatch >= BATCH_ROWS || batch.size() >= BATCH_BYTES) {
                        send(api, rowsPath, out, batch);
                        out = null;
                        inBatch = 0;
                        if (System.nanoTime() - shown >= PROGRESS_EVERY_NANOS) {
                            progress(sent, started);
                            shown = System.nanoTime();
                        }
                    }
                }
                if (out != null) {
                    send(api, rowsPath, out, batch);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file, e);
            }
            progress(sent, started);
            System.err.println();
            return api.json(api.request(begun.path("publish").asText() + "?rows=" + sent)
                    .POST(HttpRequest.BodyPublishers.noBody()));
        }

        private static void send(ApiClient api, String rowsPath, JsonGenerator out, ByteArrayOutputStream batch)
                throws IOException {
            out.writeEndObject();
            out.close();
            api.json(api.request(rowsPath)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(batch.toByteArray())));
        }

        private static void progress(long sent, long started) {
            double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
            System.err.printf(Locale.ROOT, "\r  %,d rows sent (%,.0f rows/s)", sent, sent / seconds);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The tables: version, rows, size, source.")
    static final class ListTables implements Runnable {

        @Option(names = "--json", description = "Print the server's JSON instead.")
        boolean json;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var api = client.client();
            var body = api.json(api.request("/v1/tables").GET());
            if (json) {
                System.out.println(body.toPrettyString());
                return;
            }
            if (body.path("tables").isEmpty()) {
                System.out.println("No tables yet: flowhost table load NAME metaflow://Flow/latest/end/artifact");
                return;
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-20s %7s %12s %9s %10s %8s  %s%n",
                    "TABLE",
                    "VERSION",
                    "ROWS",
                    "SIZE",
                    "LOAD MS",
                    "PREVIOUS",
                    "SOURCE");
            for (var t : body.path("tables")) {
                var c = t.path("current");
                var previous = t.path("previous").path("version");
                if (c.isMissingNode() || c.isNull()) {
                    var others = t.path("others");
                    System.out.printf(
                            Locale.ROOT,
                            "%-20s %7s %12s %9s %10s %8s  %s%n",
                            t.path("name").asText(),
                            "-",
                            "-",
                            "-",
                            "-",
                            "-",
                            others.isEmpty()
                                    ? "(nothing published)"
                                    : "(version "
                                            + others.get(0).path("version").asInt() + " "
                                            + others.get(0).path("state").asText() + ")");
                    continue;
                }
                System.out.printf(
                        Locale.ROOT,
                        "%-20s %7d %,12d %9s %,10d %8s  %s%n",
                        t.path("name").asText(),
                        c.path("version").asInt(),
                        c.path("rows").asLong(),
                        Conversions.bytes(c.path("bytes").asLong()),
                        c.path("loadMs").asLong(),
                        previous.isNumber() ? previous.asText() : "-",
                        c.path("source").asText());
            }
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Look up keys as a caller would.")
    static final class Get implements Runnable {

        @Parameters(index = "0", paramLabel = "NAME", description = "The table.")
        String table;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY", description = "The keys.")
        List<String> keys;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var api = client.client();
            var body = new ObjectMapper().createObjectNode();
            var array = body.putArray("keys");
            keys.forEach(array::add);
            var found = api.json(api.request("/v1/tables/" + encode(table) + "/lookup")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
            System.out.println(found.toPrettyString());
        }
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Serve the previous version again (a second rollback undoes the first).")
    static final class Rollback implements Runnable {

        @Parameters(index = "0", paramLabel = "NAME", description = "The table.")
        String table;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var api = client.client();
            var v = api.json(
                    api.request("/v1/tables/" + encode(table) + "/rollback").POST(HttpRequest.BodyPublishers.noBody()));
            System.out.printf(
                    Locale.ROOT,
                    "%s serves version %d again (%,d rows from %s)%n",
                    table,
                    v.path("version").asInt(),
                    v.path("rows").asLong(),
                    v.path("source").asText());
        }
    }

    @Command(name = "drop", mixinStandardHelpOptions = true, description = "Forget a table and delete its files.")
    static final class Drop implements Runnable {

        @Parameters(index = "0", paramLabel = "NAME", description = "The table.")
        String table;

        @Mixin
        ClientOptions client;

        @Override
        public void run() {
            var api = client.client();
            var body = api.json(api.request("/v1/tables/" + encode(table)).DELETE());
            System.out.println(
                    "Dropped " + table + " (" + body.path("droppedVersions").asInt() + " versions)");
        }
    }
}
