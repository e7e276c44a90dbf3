package io.flowhost.metaflow.pickle;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a value from {@link Pickle#decode} as tagged JSON, the {@code value_encoding} of the Metaflow fixtures:
 * JSON null, booleans, strings, arrays and string-keyed objects as themselves; ints as JSON integers when
 * |v| &lt; 2^53, else {@code {"$type":"int","value":"<decimal>"}}; floats as JSON doubles, NaN/±inf/-0.0 as
 * {@code {"$type":"float","value":"nan"|"inf"|"-inf"|"-0.0"}}; and {@code $type}-tagged objects for tuple,
 * dict with non-str keys, set, frozenset, bytes and ndarray. A numpy scalar is written as its plain value.
 *
 * <p>The JSON is streamed to a generator, never built whole: a small pickle that shares one value a million
 * times expands to far more JSON than it takes to decode, so give the generator a {@link LimitedOutputStream}
 * to stop it at a bound of bytes.
 */
public final class PythonJson {

    private static final long TWO_POW_53_LONG = 1L << 53;
    private static final BigInteger TWO_POW_53 = BigInteger.valueOf(TWO_POW_53_LONG);
    /** Bytes up to this length also carry their content as base64. */
    private static final int INLINE_BYTES = 4096;

    /** Nested JSON arrays allowed beyond what the elements need, for arrays with a zero-length axis. */
    private static final int MAX_EMPTY_ARRAYS = 1 << 20;

    /** JSON nodes a value may expand to (shared references are written out each time). */
    private static final long MAX_NODES = 1L << 24;
    /** Characters of set-item reprs computed to order the sets of one value (each distinct set is sorted once). */
    private static final long MAX_REPR_CHARS = 1L << 26;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonGenerator out;
    // A set or byte string shared many times is written out each time, but sorted or hashed only once.
    private final Map<PySet, List<Object>> sortedSets = new IdentityHashMap<>();
    private final Map<byte[], String> digests = new IdentityHashMap<>();
    private long reprBudget = MAX_REPR_CHARS;

    private PythonJson(JsonGenerator out) {
        this.out = out;
    }

    /**
     * The tagged JSON of a decoded value, as a tree; throws IllegalArgumentException as {@link #write} does. The
     * tree is as large as the JSON: for values from untrusted pickles, stream them with {@link #write} instead.
     */
    public static JsonNode toJson(Object value) {
        try (var buffer = new TokenBuffer(MAPPER, false)) {
            write(value, buffer);
            return MAPPER.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("a token buffer does no I/O", e);
        }
    }

    /**
     * Streams the tagged JSON of a decoded value to a generator. Throws IllegalArgumentException, before
     * writing anything, for a structure that contains itself, for nesting deeper than 1000 levels, and for
     * values that would expand to more than 16,777,216 JSON nodes (shared references are written out each
     * time); and, possibly once some is written, for a Java type {@link Pickle} never returns, for a numpy array
     * whose shape alone would make millions of empty JSON arrays, and for sets whose items' reprs (which order
     * them) pass 67,108,864 characters in all.
     *
     * @throws IOException as the generator's output throws it, e.g. {@link OutputLimitException}
     */
    public static void write(Object value, JsonGenerator out) throws IOException {
        var expansion = Expansion.of(value);
        if (expansion.height() > Hashable.MAX_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + Hashable.MAX_DEPTH + " levels");
        }
        if (expansion.nodes() > MAX_NODES) {
            throw new IllegalArgumentException("value would expand to " + expansion.nodes() + " JSON nodes (more than "
                    + MAX_NODES + "), for instance by sharing one list many times");
        }
        new PythonJson(out).value(value);
        out.flush();
    }

    private void value(Object value) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case Boolean b -> out.writeBoolean(b);
            case Long l -> integer(l);
            case Integer i -> integer(i);
            case BigInteger b -> integer(b);
            case Double d -> floating(d);
            case String s -> out.writeString(s);
            case byte[] bytes -> bytes(bytes);
            case NumpyScalar scalar -> value(scalar.value());
            case NdArray array -> ndarray(array);
            case List<?> list -> array(list);
            case PyTuple tuple -> tagged("tuple", tuple.items());
            case PySet set -> tagged(set.frozen() ? "frozenset" : "set", sortedByRepr(set));
            case Map<?, ?> map -> dict(map);
            default ->
                throw new IllegalArgumentException(
                        "not a decoded pickle value: " + value.getClass().getName());
        }
    }

    private void array(List<?> items) throws IOException {
        out.writeStartArray(items, items.size());
        for (var item : items) {
            value(item);
        }
        out.writeEndArray();
    }

    /** {@code {"$type": type, "items": [...]}}. */
    private void tagged(String type, List<?> items) throws IOException {
        out.writeStartObject();
        out.writeStringField("$type", type);
        out.writeFieldName("items");
        array(items);
        out.writeEndObject();
    }

    private void dict(Map<?, ?> map) throws IOException {
        if (map.keySet().stream().allMatch(String.class::isInstance)) {
            out.writeStartObject();
            for (var entry : map.entrySet()) {
                out.writeFieldName((String) entry.getKey());
                value(entry.getValue());
            }
            out.writeEndObject();
            return;
        }
        out.writeStartObject();
        out.writeStringField("$type", "dict");
        out.writeArrayFieldStart("items");
        for (var entry : map.entrySet()) {
            out.writeStartArray();
            value(entry.getKey());
            value(entry.getValue());
            out.writeEndArray();
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /** Set items in the order of their Python repr, as the fixtures' writer sorted them. */
    private List<Object> sortedByRepr(PySet set) {
        var sorted = sortedSets.get(set);
        if (sorted != null) {
            return sorted;
        }
        var keyed = new ArrayList<Map.Entry<String, Object>>();
        for (var item : set.items()) {
            String repr;
            try {
                repr = PythonRepr.of(item, reprBudget);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the items of the sets in this value have reprs (which order "
                        + "them) longer than " + MAX_REPR_CHARS + " characters in all, for instance by sharing "
                        + "one long string among many sets");
            }
            reprBudget -= repr.length();
            keyed.add(new AbstractMap.SimpleImmutableEntry<>(repr, item));
        }
        keyed.sort(Map.Entry.comparingByKey(PythonRepr.CODE_POINT_ORDER));
        sorted = new ArrayList<>(keyed.size());
        for (var entry : keyed) {
            sorted.add(entry.getValue());
        }
        sortedSets.put(set, sorted);
        return sorted;
    }

    private void integer(BigInteger value) throws IOException {
        if (value.abs().compareTo(TWO_POW_53) >= 0) {
            taggedText("int", value.toString());
        } else {
            integer(value.longValue());
        }
    }

    private void integer(long value) throws IOException {
        if (value >= TWO_POW_53_LONG || value <= -TWO_POW_53_LONG) {
            taggedText("int", Long.toString(value));
        } else if (value == (int) value) {
            // The number type Jackson itself would parse this into, so that parsed JSON compares equal.
            out.writeNumber((int) value);
        } else {
            out.writeNumber(value);
        }
    }

    private void floating(double value) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value) || (value == 0 && 1 / value < 0)) {
            taggedText("float", PythonRepr.ofFloat(value));
        } else {
            out.writeNumber(value);
        }
    }

    /** {@code {"$type": type, "value": text}}. */
    private void taggedText(String type, String text) throws IOException {
        out.writeStartObject();
        out.writeStringField("$type", type);
        out.writeStringField("value", text);
        out.writeEndObject();
    }

    private void bytes(byte[] bytes) throws IOException {
        out.writeStartObject();
        out.writeStringField("$type", "bytes");
        out.writeNumberField("length", bytes.length);
        out.writeStringField("sha256", digests.computeIfAbsent(bytes, PythonJson::sha256));
        if (bytes.length <= INLINE_BYTES) {
            out.writeStringField("base64", Base64.getEncoder().encodeToString(bytes));
        }
        out.writeEndObject();
    }

    /** {@code {"$type":"ndarray","dtype":"float32","shape":[2,3],"values":[[...],[...]]}}, like {@code tolist()}. */
    private void ndarray(NdArray array) throws IOException {
        int[] dims = array.shape();
        // An empty array of shape (2**31-1, 0) holds no data but would become 2**31-1 empty JSON arrays; a
        // non-empty one never needs more than (ndim - 1) * size.
        long innerArrays = 0;
        long prefix = 1;
        for (int axis = 0; axis < dims.length - 1; axis++) {
            prefix = Math.min(prefix * dims[axis], Integer.MAX_VALUE);
            innerArrays += prefix;
        }
        if (innerArrays > (long) (dims.length - 1) * array.size() + MAX_EMPTY_ARRAYS) {
            throw new IllegalArgumentException("numpy array of shape " + Arrays.toString(dims) + " would need "
                    + innerArrays + " JSON arrays for " + array.size() + " elements");
        }
        out.writeStartObject();
        out.writeStringField("$type", "ndarray");
        out.writeStringField("dtype", array.type().pythonName());
        out.writeArrayFieldStart("shape");
        for (int dim : dims) {
            out.writeNumber(dim);
        }
        out.writeEndArray();
        out.writeFieldName("values");
        if (dims.length == 0) {
            element(array, 0);
        } else {
            nested(array, dims, 0, 0);
        }
        out.writeEndObject();
    }

    /** The elements under one index prefix; {@code first} is the row-major index of its first element. */
    private void nested(NdArray array, int[] dims, int axis, int first) throws IOException {
        out.writeStartArray();
        int stride = 1;
        for (int k = axis + 1; k < dims.length; k++) {
            stride *= dims[k];
        }
        for (int i = 0; i < dims[axis]; i++) {
            if (axis == dims.length - 1) {
                element(array, first + i);
            } else {
                nested(array, dims, axis + 1, first + i * stride);
            }
        }
        out.writeEndArray();
    }

    private void element(NdArray array, int index) throws IOException {
        switch (array.get(index)) {
            case Boolean b -> out.writeBoolean(b);
            case Double d -> floating(d);
            case Long l -> integer(l);
            case BigInteger b -> integer(b);
            default -> throw new IllegalStateException("unexpected element type");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
