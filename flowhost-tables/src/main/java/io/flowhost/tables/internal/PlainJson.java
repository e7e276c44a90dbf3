package io.flowhost.tables.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import io.flowhost.domain.table.TableSourceException;
import io.flowhost.metaflow.pickle.NdArray;
import io.flowhost.metaflow.pickle.NumpyScalar;
import io.flowhost.metaflow.pickle.PySet;
import io.flowhost.metaflow.pickle.PyTuple;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A value decoded from a pickle as the JSON a caller of a lookup wants: tuples and sets as arrays, numpy arrays as
 * nested lists, numpy scalars as numbers, dict keys as strings, bytes in base64, NaN and infinities as null (JSON has
 * none). Not the tagged form of {@code PythonJson}, which keeps every Python type apart for round trips.
 */
final class PlainJson {

    private static final int MAX_DEPTH = 200;

    private PlainJson() {}

    static void write(Object value, JsonGenerator out) throws IOException {
        write(value, out, 0);
    }

    private static void write(Object value, JsonGenerator out, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new TableSourceException("a value is nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (value) {
            case null -> out.writeNull();
            case Boolean b -> out.writeBoolean(b);
            case Long l -> out.writeNumber(l);
            case Integer i -> out.writeNumber(i);
            case BigInteger b -> out.writeNumber(b);
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) {
                    out.writeNull();
                } else {
                    out.writeNumber(d);
                }
            }
            case String s -> out.writeString(s);
            case byte[] bytes -> out.writeString(Base64.getEncoder().encodeToString(bytes));
            case NumpyScalar scalar -> write(scalar.value(), out, depth + 1);
            case NdArray array -> ndarray(array, out);
            case PyTuple tuple -> array(tuple.items(), out, depth);
            case PySet set -> array(set.items(), out, depth);
            case List<?> list -> array(list, out, depth);
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (var e : map.entrySet()) {
                    out.writeFieldName(String.valueOf(e.getKey() instanceof PyTuple t ? t.items() : e.getKey()));
                    write(e.getValue(), out, depth + 1);
                }
                out.writeEndObject();
            }
            default -> out.writeString(value.toString());
        }
    }

    private static void array(List<?> items, JsonGenerator out, int depth) throws IOException {
        out.writeStartArray();
        for (var item : items) {
            write(item, out, depth + 1);
        }
        out.writeEndArray();
    }

    /** Row-major nested lists of the array's shape. */
    private static void ndarray(NdArray array, JsonGenerator out) throws IOException {
        nested(array, out, 0, 0);
    }

    private static int nested(NdArray array, JsonGenerator out, int dim, int index) throws IOException {
        var shape = array.shape();
        if (dim == shape.length) {
            write(array.get(index), out, 0);
            return index + 1;
        }
        out.writeStartArray();
        int next = index;
        for (int i = 0; i < shape[dim]; i++) {
            next = nested(array, out, dim + 1, next);
        }
        out.writeEndArray();
        return next;
    }
}
