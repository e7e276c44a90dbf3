package io.flowhost.metaflow.pickle;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How to read one element of a numpy dtype given as {@code dtype.str} ({@code "<f8"}, {@code "|u1"},
 * {@code ">i4"}): bool, signed and unsigned integers of 1-8 bytes and floats of 2, 4 or 8 bytes.
 */
record ElementType(char kind, int size, ByteOrder order) {

    /** Every supported {@code dtype.str}, e.g. {@code "<f8"}, {@code ">i4"}, {@code "|b1"}. */
    private static final Map<String, ElementType> SUPPORTED = supported();

    /** The element type of a {@code dtype.str}, or null when this reader does not support it. */
    static ElementType parse(String dtype) {
        return SUPPORTED.get(dtype);
    }

    private static Map<String, ElementType> supported() {
        var all = new HashMap<String, ElementType>();
        var sizes = Map.of('b', List.of(1), 'i', List.of(1, 2, 4, 8), 'u', List.of(1, 2, 4, 8), 'f', List.of(2, 4, 8));
        sizes.forEach((kind, kindSizes) -> {
            for (int size : kindSizes) {
                // '|' means "byte order does not apply" and is what numpy writes for one-byte elements.
                all.put("<" + kind + size, new ElementType(kind, size, ByteOrder.LITTLE_ENDIAN));
                all.put(">" + kind + size, new ElementType(kind, size, ByteOrder.BIG_ENDIAN));
                if (size == 1) {
                    all.put("|" + kind + size, new ElementType(kind, size, ByteOrder.LITTLE_ENDIAN));
                }
            }
        });
        return Map.copyOf(all);
    }

    /** What {@code str(dtype)} prints in Python: {@code float32}, {@code int64}, {@code uint8}, {@code bool}. */
    String pythonName() {
        return switch (kind) {
            case 'b' -> "bool";
            case 'i' -> "int" + size * 8;
            case 'u' -> "uint" + size * 8;
            default -> "float" + size * 8;
        };
    }

    /** The same type in little-endian order ('|' for one byte), as numpy holds arrays it unpickled. */
    String littleEndianStr() {
        return (size == 1 ? "|" : "<") + kind + size;
    }

    /** The data with every element's bytes in little-endian order (a copy when they were big-endian). */
    byte[] toLittleEndian(byte[] data) {
        if (order == ByteOrder.LITTLE_ENDIAN || size == 1) {
            return data;
        }
        var out = new byte[data.length];
        for (int element = 0; element < data.length; element += size) {
            for (int k = 0; k < size; k++) {
                out[element + k] = data[element + size - 1 - k];
            }
        }
        return out;
    }

    /** The element at a byte offset as the Python value: Boolean, Long, BigInteger (large uint64) or Double. */
    Object read(byte[] data, int offset) {
        return switch (kind) {
            case 'b' -> data[offset] != 0;
            case 'f' -> readDouble(data, offset);
            case 'u' -> {
                long raw = readRaw(data, offset);
                yield size == 8 && raw < 0 ? new BigInteger(Long.toUnsignedString(raw)) : (Object) raw;
            }
            default -> readRaw(data, offset);
        };
    }

    /** The element at a byte offset as a double (booleans as 0 or 1, uint64 without sign). */
    double readDouble(byte[] data, int offset) {
        var buffer = ByteBuffer.wrap(data).order(order);
        return switch (kind) {
            case 'f' ->
                switch (size) {
                    case 2 -> Float.float16ToFloat(buffer.getShort(offset));
                    case 4 -> buffer.getFloat(offset);
                    default -> buffer.getDouble(offset);
                };
            case 'b' -> data[offset] != 0 ? 1 : 0;
            default -> {
                long raw = readRaw(data, offset);
                yield kind == 'u' && raw < 0 ? Math.scalb((double) (raw >>> 1 | (raw & 1)), 1) : raw;
            }
        };
    }

    /** The element at a byte offset as a long; floats and uint64 values above Long.MAX_VALUE are refused. */
    long readLong(byte[] data, int offset) {
        if (kind == 'f') {
            throw new IllegalStateException("elements of a float" + size * 8 + " array are not integers");
        }
        if (kind == 'b') {
            return data[offset] != 0 ? 1 : 0;
        }
        long raw = readRaw(data, offset);
        if (kind == 'u' && size == 8 && raw < 0) {
            throw new ArithmeticException("uint64 element " + Long.toUnsignedString(raw) + " does not fit in a long");
        }
        return raw;
    }

    /** Integer bits, sign-extended for signed kinds and zero-extended for unsigned ones. */
    private long readRaw(byte[] data, int offset) {
        var buffer = ByteBuffer.wrap(data).order(order);
        boolean signed = kind == 'i';
        return switch (size) {
            case 1 -> signed ? data[offset] : data[offset] & 0xFFL;
            case 2 -> signed ? buffer.getShort(offset) : buffer.getShort(offset) & 0xFFFFL;
            case 4 -> signed ? buffer.getInt(offset) : buffer.getInt(offset) & 0xFFFF_FFFFL;
            default -> buffer.getLong(offset);
        };
    }
}
