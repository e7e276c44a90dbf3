package io.flowhost.onnx;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A named tensor: its Open Inference Protocol datatype, its concrete shape, and its values as one flat row-major array.
 *
 * <p>The array type follows the datatype: {@code float[]} for FP32 and FP16, {@code double[]} FP64, {@code long[]}
 * INT64, {@code int[]} INT32, {@code short[]} INT16, {@code byte[]} INT8 and UINT8 (UINT8 as the same eight bits, so
 * 255 reads back as the byte -1), {@code boolean[]} BOOL and {@code String[]} BYTES. The constructor checks all of
 * this, so every tensor that exists is self-consistent. The shape is copied in and out; the data array is not, since
 * tensors can be large: do not change it after building the tensor.
 *
 * @param name     the tensor's name, as the model's input or output is called
 * @param datatype the Open Inference Protocol datatype name, such as {@code FP32}
 * @param shape    the concrete dimensions, none negative; empty for a scalar
 * @param data     the values, flat and row-major, in the array type that fits the datatype
 */
public record Tensor(String name, String datatype, long[] shape, Object data) {

    // toString shows only this many values, so that logging a large tensor stays readable.
    private static final int SHOWN_VALUES = 12;

    /** Checks that the datatype is known and supported, the shape is concrete, and the data fill it exactly. */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        Class<?> arrayType = Datatype.named(datatype, name).arrayType(name);
        if (!arrayType.isInstance(data)) {
            throw new TensorMismatchException("tensor '" + name + "': " + datatype + " data must be a "
                    + arrayType.getSimpleName() + ", got a " + data.getClass().getSimpleName());
        }
        shape = shape.clone();
        if (Arrays.stream(shape).anyMatch(dim -> dim < 0)) {
            throw new TensorMismatchException("tensor '" + name + "': shape " + Shapes.format(shape)
                    + " has a negative dimension; a tensor's shape must be concrete");
        }
        long needed = Shapes.elementCount(shape);
        int given = Array.getLength(data);
        if (needed != given) {
            throw new TensorMismatchException("tensor '" + name + "': shape " + Shapes.format(shape) + " needs "
                    + (needed < 0 ? "more values than a Java array holds" : needed + " values") + ", got " + given);
        }
        if (data instanceof String[] strings) {
            for (int i = 0; i < strings.length; i++) {
                if (strings[i] == null) {
                    throw new TensorMismatchException("tensor '" + name + "': BYTES value " + i + " is null");
                }
            }
        }
    }

    /** Returns a copy of the shape, so that callers cannot change this tensor. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Returns the number of values, the product of the shape. */
    public int size() {
        return Array.getLength(data);
    }

    /** Builds an FP32 tensor from flat row-major values. */
    public static Tensor fp32(String name, long[] shape, float[] data) {
        return new Tensor(name, "FP32", shape, data);
    }

    /** Builds a 2-D FP32 tensor from rows that must all have the same length. */
    public static Tensor fp32(String name, float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[Math.multiplyExact(rows.length, columns)];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != columns) {
                throw new TensorMismatchException("tensor '" + name + "': row " + r + " has length " + rows[r].length
                        + ", but row 0 has length " + columns);
            }
            System.arraycopy(rows[r], 0, flat, r * columns, columns);
        }
        return fp32(name, new long[] {rows.length, columns}, flat);
    }

    /** Builds an FP16 tensor from float values, which are rounded to half precision when the model reads them. */
    public static Tensor fp16(String name, long[] shape, float[] data) {
        return new Tensor(name, "FP16", shape, data);
    }

    /** Builds an FP64 tensor from flat row-major values. */
    public static Tensor fp64(String name, long[] shape, double[] data) {
        return new Tensor(name, "FP64", shape, data);
    }

    /** Builds an INT64 tensor from flat row-major values. */
    public static Tensor int64(String name, long[] shape, long[] data) {
        return new Tensor(name, "INT64", shape, data);
    }

    /** Builds an INT32 tensor from flat row-major values. */
    public static Tensor int32(String name, long[] shape, int[] data) {
        return new Tensor(name, "INT32", shape, data);
    }

    /** Builds an INT16 tensor from flat row-major values. */
    public static Tensor int16(String name, long[] shape, short[] data) {
        return new Tensor(name, "INT16", shape, data);
    }

    /** Builds an INT8 tensor from flat row-major values. */
    public static Tensor int8(String name, long[] shape, byte[] data) {
        return new Tensor(name, "INT8", shape, data);
    }

    /** Builds a UINT8 tensor from bytes whose eight bits are the unsigned values (0 to 255). */
    public static Tensor uint8(String name, long[] shape, byte[] data) {
        return new Tensor(name, "UINT8", shape, data);
    }

    /** Builds a BOOL tensor from flat row-major values. */
    public static Tensor bool(String name, long[] shape, boolean[] data) {
        return new Tensor(name, "BOOL", shape, data);
    }

    /** Builds a BYTES tensor, which ONNX Runtime sees as a string tensor, from flat row-major strings. */
    public static Tensor bytes(String name, long[] shape, String[] data) {
        return new Tensor(name, "BYTES", shape, data);
    }

    /** Returns the values of an FP32 or FP16 tensor. */
    public float[] floats() {
        return as(float[].class);
    }

    /** Returns the values of an FP64 tensor. */
    public double[] doubles() {
        return as(double[].class);
    }

    /** Returns the values of an INT64 tensor. */
    public long[] longs() {
        return as(long[].class);
    }

    /** Returns the values of an INT32 tensor. */
    public int[] ints() {
        return as(int[].class);
    }

    /** Returns the values of an INT16 tensor. */
    public short[] shorts() {
        return as(short[].class);
    }

    /** Returns the values of an INT8 or UINT8 tensor. */
    public byte[] bytes() {
        return as(byte[].class);
    }

    /** Returns the values of a BOOL tensor. */
    public boolean[] booleans() {
        return as(boolean[].class);
    }

    /** Returns the values of a BYTES tensor. */
    public String[] strings() {
        return as(String[].class);
    }

    /** Returns a 2-D FP32 or FP16 tensor as rows, such as a batch of class probabilities. */
    public float[][] asFloatMatrix() {
        float[] values = floats();
        if (shape.length != 2) {
            throw new IllegalStateException(
                    "tensor '" + name + "' has shape " + Shapes.format(shape) + ", not two dimensions");
        }
        int rows = (int) shape[0];
        int columns = (int) shape[1];
        float[][] matrix = new float[rows][];
        for (int r = 0; r < rows; r++) {
            matrix[r] = Arrays.copyOfRange(values, r * columns, (r + 1) * columns);
        }
        return matrix;
    }

    private <A> A as(Class<A> arrayType) {
        if (!arrayType.isInstance(data)) {
            throw new IllegalStateException("tensor '" + name + "' is " + datatype + ", whose data is a "
                    + data.getClass().getSimpleName() + ", not a " + arrayType.getSimpleName());
        }
        return arrayType.cast(data);
    }

    /** Tells whether the other object is a tensor with the same name, datatype, shape and values. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that
                && name.equals(that.name)
                && datatype.equals(that.datatype)
                && Arrays.equals(shape, that.shape)
                // deepEquals on a one-element wrapper picks the right Arrays.equals for whichever primitive array.
                && Arrays.deepEquals(new Object[] {data}, new Object[] {that.data});
    }

    /** Returns a hash code computed from the name, datatype, shape and values. */
    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape), Arrays.deepHashCode(new Object[] {data}));
    }

    /** Describes the tensor, showing at most its first few values. */
    @Override
    public String toString() {
        StringJoiner values = new StringJoiner(", ", "[", "]");
        int length = size();
        for (int i = 0; i < Math.min(length, SHOWN_VALUES); i++) {
            values.add(String.valueOf(Array.get(data, i)));
        }
        if (length > SHOWN_VALUES) {
            values.add("... " + length + " values");
        }
        return "Tensor[name=" + name + ", datatype=" + datatype + ", shape=" + Shapes.format(shape) + ", data=" + values
                + "]";
    }
}
