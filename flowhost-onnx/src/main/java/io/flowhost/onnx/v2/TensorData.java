package io.flowhost.onnx.v2;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowhost.onnx.Datatype;
import io.flowhost.onnx.TensorMismatchException;
import java.util.Arrays;

/**
 * Reads a tensor's "data", which the protocol allows flat or nested, into one flat row-major array.
 *
 * <p>Flat data must hold exactly as many values as the shape; nested data must follow the shape level by level, so
 * that a ragged or wrongly nested array is refused instead of being silently read in some other order.
 */
final class TensorData {
    private TensorData() {}

    /** Returns the values of {@code data} as the flat array that {@code type} calls for. */
    static Object read(String input, Datatype type, long[] shape, JsonNode data) {
        if (!data.isArray()) {
            throw new TensorMismatchException(
                    "input '" + input + "': 'data' must be an array, got " + InferenceJson.kind(data));
        }
        long needed = elementCount(shape, input);
        boolean nested = !data.isEmpty() && data.get(0).isArray();
        if (nested) {
            checkNesting(input, shape, data, 0, "data");
        } else if (data.size() != needed) {
            throw new TensorMismatchException("input '" + input + "': shape " + Arrays.toString(shape) + " needs "
                    + needed + " values, 'data' has " + data.size());
        }
        JsonValues values = new JsonValues(input, type, (int) needed);
        if (nested) {
            fillNested(values, data, 0);
        } else {
            // Flat data is read value by value, so a stray array among the values is reported as a wrong value.
            for (int i = 0; i < needed; i++) {
                values.set(i, data.get(i));
            }
        }
        return values.array();
    }

    private static long elementCount(long[] shape, String input) {
        long count = 1;
        for (long dim : shape) {
            if (dim != 0 && count > Integer.MAX_VALUE / dim) {
                throw new TensorMismatchException("input '" + input + "': shape " + Arrays.toString(shape)
                        + " holds more values than one request can carry");
            }
            count *= dim;
        }
        return count;
    }

    private static void checkNesting(String input, long[] shape, JsonNode node, int depth, String path) {
        if (depth == shape.length) {
            if (node.isArray()) {
                throw nesting(input, shape, path + " is an array, but the shape has only " + count(depth, "dimension"));
            }
            return;
        }
        if (!node.isArray()) {
            throw nesting(
                    input, shape, path + " is " + InferenceJson.kind(node) + ", expected an array of " + shape[depth]);
        }
        if (node.size() != shape[depth]) {
            throw nesting(input, shape, path + " has " + count(node.size(), "element") + ", expected " + shape[depth]);
        }
        for (int i = 0; i < node.size(); i++) {
            checkNesting(input, shape, node.get(i), depth + 1, path + "[" + i + "]");
        }
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static TensorMismatchException nesting(String input, long[] shape, String problem) {
        return new TensorMismatchException("input '" + input + "': nested 'data' does not follow shape "
                + Arrays.toString(shape) + ": " + problem);
    }

    private static int fillNested(JsonValues values, JsonNode node, int next) {
        int index = next;
        for (JsonNode element : node) {
            if (element.isArray()) {
                index = fillNested(values, element, index);
            } else {
                values.set(index++, element);
            }
        }
        return index;
    }
}
