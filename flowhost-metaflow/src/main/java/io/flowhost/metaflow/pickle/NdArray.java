package io.flowhost.metaflow.pickle;

import java.util.Arrays;
import java.util.Objects;

/**
 * A numpy array read from a pickle: its dtype as numpy's {@code dtype.str} ({@code "<f8"}, {@code "|b1"},
 * {@code ">i4"}), its shape, whether the raw bytes are in Fortran (column-major) order, and the raw element
 * bytes. Element accessors take an index in logical row-major order whatever the storage order. The data
 * array is not copied: treat it as read-only.
 */
public record NdArray(String dtype, int[] shape, boolean fortranOrder, byte[] data) {

    /** numpy 2's limit on dimensions (numpy 1 allowed 32). */
    static final int MAX_DIMENSIONS = 64;

    /** Checks that the dtype is a supported one and that the data holds exactly the elements of the shape. */
    public NdArray {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        var type = ElementType.parse(dtype);
        if (type == null) {
            throw new IllegalArgumentException("unsupported numpy dtype '" + dtype
                    + "' (expected bool, int8-64, uint8-64 or float16/32/64, e.g. '<f8')");
        }
        if (shape.length > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("shape has " + shape.length + " dimensions (expected <= 64)");
        }
        long bytes = type.size();
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            // Stop growing once past the data length, so that a huge shape cannot overflow the product.
            bytes = Math.min(bytes * dim, (long) data.length + 1);
        }
        if (bytes != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype
                    + " does not match the " + data.length + " bytes of data");
        }
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements: the product of the shape, 1 for a zero-dimensional array. */
    public int size() {
        return data.length / itemSize();
    }

    /** Bytes per element. */
    public int itemSize() {
        return type().size();
    }

    /** The element at a row-major index as Python would see it: Boolean, Long, BigInteger (large uint64) or Double. */
    public Object get(int index) {
        return type().read(data, byteOffset(index));
    }

    /** The element at a row-major index as a double (booleans as 0 or 1). */
    public double getDouble(int index) {
        return type().readDouble(data, byteOffset(index));
    }

    /** The element at a row-major index as a long; refused for float dtypes and uint64 values above Long.MAX_VALUE. */
    public long getLong(int index) {
        return type().readLong(data, byteOffset(index));
    }

    /** All elements in row-major order as doubles. */
    public double[] toDoubleArray() {
        var out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /** All elements in row-major order as longs; refused for float dtypes. */
    public long[] toLongArray() {
        var out = new long[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getLong(i);
        }
        return out;
    }

    /** True for an array with the same dtype, shape, order and bytes. */
    @Override
    public boolean equals(Object other) {
        return other instanceof NdArray that
                && dtype.equals(that.dtype)
                && Arrays.equals(shape, that.shape)
                && fortranOrder == that.fortranOrder
                && Arrays.equals(data, that.data);
    }

    /** A hash consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), fortranOrder, Arrays.hashCode(data));
    }

    /** The dtype, shape and order, without the data. */
    @Override
    public String toString() {
        return "NdArray[dtype=" + dtype + ", shape=" + Arrays.toString(shape) + (fortranOrder ? ", fortran" : "") + "]";
    }

    ElementType type() {
        return ElementType.parse(dtype);
    }

    /** Where the element at a row-major index is stored, in bytes. */
    private int byteOffset(int index) {
        Objects.checkIndex(index, size());
        if (!fortranOrder || shape.length < 2) {
            return index * itemSize();
        }
        // Split the row-major index into per-axis indices (last axis fastest) and recombine them with
        // column-major strides (first axis fastest): stride(k) = shape[0] * ... * shape[k-1].
        int storage = 0;
        int rest = index;
        int stride = size() / shape[shape.length - 1];
        for (int k = shape.length - 1; k >= 0; k--) {
            storage += rest % shape[k] * stride;
            rest /= shape[k];
            if (k > 0) {
                stride /= shape[k - 1];
            }
        }
        return storage * itemSize();
    }
}
