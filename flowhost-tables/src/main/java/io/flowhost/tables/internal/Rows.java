package io.flowhost.tables.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.table.KeyType;
import io.flowhost.domain.table.TableSourceException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Turns what a flow produced into rows (a key, a JSON value): a dict, a list of records, JSON Lines, or a batch of
 * rows written over HTTP. The key type is the first row's, and every row must have it.
 */
public final class Rows {

    /** Where rows go. */
    @FunctionalInterface
    public interface Sink {
        void row(String key, byte[] json) throws Exception;
    }

    /** The field of a record that is its key when none is named. */
    public static final String DEFAULT_KEY_FIELD = "key";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private final String table;
    private final String keyField;
    private final String valueField;
    private KeyType keyType;
    private long count;

    /**
     * @param keyType the table's key type, or null to take the first row's
     * @param keyField the field of a record that is its key
     * @param valueField the field of a record that is its value, or null for the whole record
     */
    public Rows(String table, KeyType keyType, String keyField, String valueField) {
        this.table = table;
        this.keyType = keyType;
        this.keyField = keyField;
        this.valueField = valueField;
    }

    /** The key type the rows had (the first row's, when none was given). */
    public KeyType keyType() {
        return keyType;
    }

    /** Rows read so far. */
    public long count() {
        return count;
    }

    /**
     * Reads a Metaflow artifact's value: a dict (key → value), a list of records (dicts with the key field), or
     * JSON Lines text or bytes.
     *
     * @param what the artifact, for messages
     */
    public void fromValue(Object value, String what, Sink sink) throws Exception {
        switch (value) {
            case Map<?, ?> map -> {
                for (var e : map.entrySet()) {
                    sink.row(key(e.getKey(), "key " + e.getKey() + " of " + what), json(e.getValue()));
                }
            }
            case List<?> list -> {
                for (var element : list) {
                    if (!(element instanceof Map<?, ?> record)) {
                        throw new TableSourceException(what + ": row " + (count + 1) + " is " + describe(element)
                                + ", not a record (a dict with a '" + keyField + "' key)");
                    }
                    sink.row(recordKey(record.get(keyField), record.containsKey(keyField)), recordValue(record));
                }
            }
            case String text ->
                fromJsonLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), what, sink);
            case byte[] bytes -> fromJsonLines(new ByteArrayInputStream(bytes), what, sink);
            case null, default ->
                throw new TableSourceException(what + " is " + describe(value) + ": a table loads a dict (key →"
                        + " value), a list of records (dicts with a '" + keyField + "' key), or JSON Lines text");
        }
    }

    /** Reads JSON Lines: one record (a JSON object with the key field) per line. */
    public void fromJsonLines(InputStream in, String what, Sink sink) throws Exception {
        try (var parser = FACTORY.createParser(in)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.START_OBJECT) {
                    throw new TableSourceException(what + ": row " + (count + 1) + " (line "
                            + parser.currentLocation().getLineNr() + ") is not a JSON object");
                }
                JsonNode record = JSON.readTree(parser);
                var key = record.get(keyField);
                var value = valueField == null ? record : record.get(valueField);
                if (value == null) {
                    throw new TableSourceException(what + ": row " + (count + 1) + " has no '" + valueField + "'");
                }
                sink.row(
                        recordKey(key == null || key.isNull() ? null : keyOf(key), key != null),
                        JSON.writeValueAsBytes(value));
            }
        } catch (JsonProcessingException e) {
            throw new TableSourceException(
                    what + ": not JSON Lines at row " + (count + 1) + ": " + e.getOriginalMessage());
        }
    }

    /**
     * Reads a batch written over HTTP: one JSON object whose members are the rows (key → value), streamed, each
     * value copied as it came.
     */
    public void fromJsonObject(InputStream in, Sink sink) throws Exception {
        try (var parser = FACTORY.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new TableSourceException(
                        "rows are a JSON object of key → value, e.g. {\"u1\": {\"items\": [3, 7]}}");
            }
            var buffer = new ByteArrayOutputStream();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                var key = parser.currentName();
                parser.nextToken();
                buffer.reset();
                try (JsonGenerator out = FACTORY.createGenerator(buffer)) {
                    out.copyCurrentStructure(parser);
                }
                sink.row(key(key, "key '" + key + "'"), buffer.toByteArray());
            }
            if (parser.nextToken() != null) {
                throw new TableSourceException("rows are one JSON object; something follows it");
            }
        } catch (JsonProcessingException e) {
            throw new TableSourceException(
                    "rows are not valid JSON at row " + (count + 1) + ": " + e.getOriginalMessage());
        }
    }

    private String recordKey(Object key, boolean present) {
        if (!present || key == null) {
            throw new TableSourceException(
                    "row " + (count + 1) + " has no '" + keyField + "' (the key field; name" + " another with --key)");
        }
        return key(key, "row " + (count + 1) + "'s '" + keyField + "'");
    }

    private byte[] recordValue(Map<?, ?> record) {
        if (valueField == null) {
            return json(record);
        }
        if (!record.containsKey(valueField)) {
            throw new TableSourceException("row " + (count + 1) + " has no '" + valueField + "' (the value field)");
        }
        return json(record.get(valueField));
    }

    /** A loaded key in canonical form, checked against the table's key type (the first row's when unset). */
    private String key(Object raw, String what) {
        var type = raw instanceof String s && keyType == KeyType.INTEGER ? KeyType.INTEGER : KeyType.of(raw);
        if (type == null) {
            throw new TableSourceException(what + " is " + describe(raw) + ": keys are strings or integers");
        }
        if (keyType == null) {
            keyType = type;
        } else if (type != keyType) {
            throw new TableSourceException(what + " is " + (type == KeyType.STRING ? "a string" : "an integer")
                    + " but the table's keys are " + keyType.word() + "s (every key has the first row's type)");
        }
        count++;
        try {
            return keyType.canonical(table, raw.toString());
        } catch (RuntimeException e) {
            throw new TableSourceException(what + ": " + e.getMessage());
        }
    }

    private static Object keyOf(JsonNode key) {
        if (key.isIntegralNumber()) {
            return key.bigIntegerValue().bitLength() < 64 ? (Object) key.longValue() : (Object) key.bigIntegerValue();
        }
        return key.isTextual() ? key.textValue() : key.toString();
    }

    private static byte[] json(Object value) {
        try {
            var out = new ByteArrayOutputStream();
            try (var generator = FACTORY.createGenerator(out)) {
                PlainJson.write(value, generator);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Object value) {
        return switch (value) {
            case null -> "None";
            case String s -> "text";
            case Long l -> "an integer";
            case BigInteger b -> "an integer";
            case Double d -> "a float";
            case Boolean b -> "a bool";
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
