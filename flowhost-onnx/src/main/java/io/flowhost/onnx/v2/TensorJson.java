package io.flowhost.onnx.v2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.onnx.Datatype;
import io.flowhost.onnx.Tensor;
import io.flowhost.onnx.TensorMismatchException;
import java.util.Arrays;

/** Reads one request tensor from JSON and writes one response tensor to JSON. */
final class TensorJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TensorJson() {}

    /** Reads {@code inputs[index]} of a request, checking its fields, datatype, shape and every value. */
    static Tensor read(JsonNode node, int index) {
        String where = "inputs[" + index + "]";
        if (!node.isObject()) {
            throw new InferenceRequestException(where + " must be an object, got " + InferenceJson.kind(node));
        }
        String name = text(node, "name", where);
        String input = "input '" + name + "'";
        String datatypeName = text(node, "datatype", input);
        Datatype type = Datatype.find(datatypeName)
                .orElseThrow(() -> new TensorMismatchException(input
                        + ": unknown datatype '" + datatypeName + "'; the protocol's datatypes are "
                        + Arrays.toString(Datatype.values())));
        if (!type.isSupported()) {
            throw new TensorMismatchException(
                    input + ": datatype " + type + " is not supported; supported are " + Datatype.supportedNames());
        }
        long[] shape = shape(node.get("shape"), input);
        JsonNode parameters = node.get("parameters");
        if (parameters != null && parameters.has("binary_data_size")) {
            throw new InferenceRequestException(input + " uses the binary data extension, which is not supported;"
                    + " send its values as JSON in 'data'");
        }
        JsonNode data = node.get("data");
        if (data == null) {
            throw new InferenceRequestException(input + " has no 'data'");
        }
        return new Tensor(name, type.name(), shape, TensorData.read(name, type, shape, data));
    }

    /** Writes a tensor as a response output: name, datatype, shape and flat row-major data. */
    static ObjectNode write(Tensor tensor) {
        ObjectNode node = JSON.objectNode();
        node.put("name", tensor.name());
        node.put("datatype", tensor.datatype());
        ArrayNode shape = node.putArray("shape");
        for (long dim : tensor.shape()) {
            shape.add(dim);
        }
        ArrayNode data = node.putArray("data");
        switch (Datatype.valueOf(tensor.datatype())) {
            // add(float) keeps a FloatNode, which Jackson writes as the shortest text that reads back as that float.
            case FP32, FP16 -> {
                for (float value : tensor.floats()) {
                    data.add(value);
                }
            }
            case FP64 -> Arrays.stream(tensor.doubles()).forEach(data::add);
            case INT64 -> Arrays.stream(tensor.longs()).forEach(data::add);
            case INT32 -> Arrays.stream(tensor.ints()).forEach(data::add);
            case INT16 -> {
                for (short value : tensor.shorts()) {
                    data.add(value);
                }
            }
            case INT8 -> {
                for (byte value : tensor.bytes()) {
                    data.add(value);
                }
            }
            case UINT8 -> {
                for (byte value : tensor.bytes()) {
                    data.add(Byte.toUnsignedInt(value));
                }
            }
            case BOOL -> {
                for (boolean value : tensor.booleans()) {
                    data.add(value);
                }
            }
            case BYTES -> Arrays.stream(tensor.strings()).forEach(data::add);
            // A Tensor of these cannot exist: its constructor refuses them.
            case UINT16, UINT32, UINT64 -> throw new IllegalStateException("unsupported " + tensor.datatype());
        }
        return node;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InferenceRequestException(where + " has no '" + field + "'");
        }
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new InferenceRequestException(
                    where + ": '" + field + "' must be a non-empty string, got " + InferenceJson.kind(value));
        }
        return value.textValue();
    }

    private static long[] shape(JsonNode node, String input) {
        if (node == null || node.isNull()) {
            throw new InferenceRequestException(input + " has no 'shape'");
        }
        String problem = input + ": 'shape' must be an array of non-negative integers, got " + InferenceJson.kind(node);
        if (!node.isArray()) {
            throw new InferenceRequestException(problem);
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = node.get(i);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.longValue() < 0) {
                throw new InferenceRequestException(problem);
            }
            shape[i] = dim.longValue();
        }
        return shape;
    }
}
