package io.flowhost.metaflow.pickle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes a value from {@link Pickle#decode} as tagged JSON, the {@code value_encoding} of the Metaflow fixtures:
 * JSON null, booleans, strings, arrays and string-keyed objects as themselves; ints as JSON integers when
 * |v| &lt; 2^53, else {@code {"$type":"int","value":"<decimal>"}}; floats as JSON doubles, NaN/±inf/-0.0 as
 * {@code {"$type":"float","value":"nan"|"inf"|"-inf"|"-0.0"}}; and {@code $type}-tagged objects for tuple,
 * dict with non-str keys, set, frozenset, bytes and ndarray. A numpy scalar is written as its plain value.
 */
public final class PythonJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long TWO_POW_53_LONG = 1L << 53;
    private static final BigInteger TWO_POW_53 = BigInteger.valueOf(TWO_POW_53_LONG);
    /** Bytes up to this length also carry their content as base64. */
    private static final int INLINE_BYTES = 4096;

    /** Nested JSON arrays allowed beyond what the elements need, for arrays with a zero-length axis. */
    private static final int MAX_EMPTY_ARRAYS = 1 << 20;

    /** JSON nodes a value may expand to (shared references are written out each time). */
    private static final long MAX_NODES = 1L << 24;
    /** Characters of set-item reprs computed to order one set. */
    private static final long MAX_REPR_CHARS = 1L << 26;

    private PythonJson() {}

    /**
     * The tagged JSON of a decoded value; throws IllegalArgumentException for a Java type {@link Pickle} never
     * returns, for a structure that contains itself, for nesting deeper than 1000 levels, and for values that
     * would expand to more than 16,777,216 JSON nodes (shared references are written out each time).
     */
    public static JsonNode toJson(Object value) {
        var expansion = Expansion.of(value);
        if (expansion.height() > Hashable.MAX_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + Hashable.MAX_DEPTH + " levels");
        }
        if (expansion.nodes() > MAX_NODES) {
            throw new IllegalArgumentException("value would expand to " + expansion.nodes() + " JSON nodes (more than "
                    + MAX_NODES + "), for instance by sharing one list many times");
        }
        return write(value);
    }

    private static JsonNode write(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case Boolean b -> NODES.booleanNode(b);
            case Long l -> integer(l);
            case Integer i -> integer(i);
            case BigInteger b -> integer(b);
            case Double d -> floating(d);
            case String s -> NODES.textNode(s);
            case byte[] bytes -> bytes(bytes);
            case NumpyScalar scalar -> write(scalar.value());
            case NdArray array -> ndarray(array);
            case List<?> list -> array(list);
            case PyTuple tuple -> tagged("tuple").set("items", array(tuple.items()));
            case PySet set -> tagged(set.frozen() ? "frozenset" : "set").set("items", array(sortedByRepr(set)));
            case Map<?, ?> map -> dict(map);
            default ->
                throw new IllegalArgumentException(
                        "not a decoded pickle value: " + value.getClass().getName());
        };
    }

    private static ArrayNode array(List<?> items) {
        var out = NODES.arrayNode(items.size());
        for (var item : items) {
            out.add(write(item));
        }
        return out;
    }

    private static JsonNode dict(Map<?, ?> map) {
        if (map.keySet().stream().allMatch(String.class::isInstance)) {
            var out = NODES.objectNode();
            map.forEach((key, value) -> out.set((String) key, write(value)));
            return out;
        }
        var items = NODES.arrayNode(map.size());
        map.forEach((key, value) -> items.add(NODES.arrayNode(2).add(write(key)).add(write(value))));
        return tagged("dict").set("items", items);
    }

    /** Set items in the order of their Python repr, as the fixtures' writer sorted them. */
    private static List<Object> sortedByRepr(PySet set) {
        var keyed = new ArrayList<Map.Entry<String, Object>>();
        long budget = MAX_REPR_CHARS;
        for (var item : set.items()) {
            String repr = PythonRepr.of(item, budget);
            budget -= repr.length();
            keyed.add(new AbstractMap.SimpleImmutableEntry<>(repr, item));
        }
        keyed.sort(Map.Entry.comparingByKey(PythonRepr.CODE_POINT_ORDER));
        var out = new ArrayList<>(keyed.size());
        keyed.forEach(entry -> out.add(entry.getValue()));
        return out;
    }

    private static JsonNode integer(BigInteger value) {
        return value.abs().compareTo(TWO_POW_53) >= 0
                ? tagged("int").put("value", value.toString())
                : integer(value.longValue());
    }

    private static JsonNode integer(long value) {
        if (value >= TWO_POW_53_LONG || value <= -TWO_POW_53_LONG) {
            return tagged("int").put("value", Long.toString(value));
        }
        // The node type Jackson itself would parse this number into, so that parsed JSON compares equal.
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }

    private static JsonNode floating(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value) || (value == 0 && 1 / value < 0)) {
            return tagged("float").put("value", PythonRepr.ofFloat(value));
        }
        return NODES.numberNode(value);
    }

    private static JsonNode bytes(byte[] bytes) {
        var out = tagged("bytes").put("length", bytes.length).put("sha256", sha256(bytes));
        if (bytes.length <= INLINE_BYTES) {
            out.put("base64", Base64.getEncoder().encodeToString(bytes));
        }
        return out;
    }

    /** {@code {"$type":"ndarray","dtype":"float32","shape":[2,3],"values":[[...],[...]]}}, like {@code tolist()}. */
    private static JsonNode ndarray(NdArray array) {
        var out = tagged("ndarray").put("dtype", array.type().pythonName());
        var shape = out.putArray("shape");
        int[] dims = array.shape();
        for (int dim : dims) {
            shape.add(dim);
        }
        if (dims.length == 0) {
            out.set("values", element(array, 0));
            return out;
        }
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
        out.set("values", nested(array, dims, 0, 0));
        return out;
    }

    /** The elements under one index prefix; {@code first} is the row-major index of its first element. */
    private static ArrayNode nested(NdArray array, int[] dims, int axis, int first) {
        var out = NODES.arrayNode(dims[axis]);
        int stride = 1;
        for (int k = axis + 1; k < dims.length; k++) {
            stride *= dims[k];
        }
        for (int i = 0; i < dims[axis]; i++) {
            out.add(
                    axis == dims.length - 1
                            ? element(array, first + i)
                            : nested(array, dims, axis + 1, first + i * stride));
        }
        return out;
    }

    private static JsonNode element(NdArray array, int index) {
        return switch (array.get(index)) {
            case Boolean b -> NODES.booleanNode(b);
            case Double d -> floating(d);
            case Long l -> integer(l);
            case BigInteger b -> integer(b);
            default -> throw new IllegalStateException("unexpected element type");
        };
    }

    private static ObjectNode tagged(String type) {
        return NODES.objectNode().put("$type", type);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
