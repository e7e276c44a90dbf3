package io.flowhost.onnx.v2;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowhost.onnx.Datatype;
import io.flowhost.onnx.TensorMismatchException;

/** Reads one tensor's JSON values into the flat primitive array its datatype calls for, checking each value. */
final class JsonValues {
    // Messages quote the offending value, cut short so that a huge string does not flood the caller's error.
    private static final int QUOTED_CHARS = 40;

    private final String input;
    private final Datatype type;
    private final Object array;

    JsonValues(String input, Datatype type, int count) {
        this.input = input;
        this.type = type;
        this.array = switch (type) {
            case BOOL -> new boolean[count];
            case UINT8, INT8 -> new byte[count];
            case INT16 -> new short[count];
            case INT32 -> new int[count];
            case INT64 -> new long[count];
            case FP16, FP32 -> new float[count];
            case FP64 -> new double[count];
            case BYTES -> new String[count];
            // TensorJson refuses these before it gets here.
            case UINT16, UINT32, UINT64 -> throw new IllegalStateException("unsupported " + type);
        };
    }

    /** Returns the filled array. */
    Object array() {
        return array;
    }

    /** Checks value {@code index} (row-major) against the datatype and stores it. */
    void set(int index, JsonNode value) {
        switch (type) {
            case BOOL -> {
                if (!value.isBoolean()) {
                    throw wrong(index, value, "not true or false");
                }
                ((boolean[]) array)[index] = value.booleanValue();
            }
            case UINT8 -> ((byte[]) array)[index] = (byte) integer(index, value, 0, 255);
            case INT8 -> ((byte[]) array)[index] = (byte) integer(index, value, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 -> ((short[]) array)[index] = (short) integer(index, value, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT32 -> ((int[]) array)[index] = (int) integer(index, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT64 -> ((long[]) array)[index] = integer(index, value, Long.MIN_VALUE, Long.MAX_VALUE);
            case FP16 -> ((float[]) array)[index] = fp16(index, value);
            case FP32 -> ((float[]) array)[index] = fp32(index, value);
            case FP64 -> ((double[]) array)[index] = fp64(index, value);
            case BYTES -> {
                if (!value.isTextual()) {
                    throw wrong(index, value, "not a string");
                }
                ((String[]) array)[index] = value.textValue();
            }
            case UINT16, UINT32, UINT64 -> throw new IllegalStateException("unsupported " + type);
        }
    }

    private long integer(int index, JsonNode value, long min, long max) {
        if (!value.isIntegralNumber()) {
            throw wrong(index, value, "not an integer");
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw wrong(index, value, "out of range (" + min + " to " + max + ")");
        }
        return value.longValue();
    }

    private float fp32(int index, JsonNode value) {
        number(index, value);
        // floatValue rounds the number to float directly where Jackson kept its decimal digits.
        float result = value.floatValue();
        if (Float.isInfinite(result) && !Double.isInfinite(value.doubleValue())) {
            throw wrong(index, value, "out of range");
        }
        return result;
    }

    private float fp16(int index, JsonNode value) {
        float result = fp32(index, value);
        if (Float.isFinite(result) && Float.isInfinite(Float.float16ToFloat(Float.floatToFloat16(result)))) {
            throw wrong(index, value, "out of range (FP16 reaches 65504)");
        }
        return result;
    }

    private double fp64(int index, JsonNode value) {
        number(index, value);
        return value.doubleValue();
    }

    private void number(int index, JsonNode value) {
        if (!value.isNumber()) {
            throw wrong(index, value, "not a number");
        }
    }

    private TensorMismatchException wrong(int index, JsonNode value, String problem) {
        String quoted = value.toString();
        if (quoted.length() > QUOTED_CHARS) {
            quoted = quoted.substring(0, QUOTED_CHARS) + "...";
        }
        return new TensorMismatchException(
                "input '" + input + "': value " + index + " of 'data' is " + quoted + ", " + problem + " for " + type);
    }
}
