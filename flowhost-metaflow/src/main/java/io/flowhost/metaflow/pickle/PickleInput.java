package io.flowhost.metaflow.pickle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The pickle bytes with a read position. Every read checks the bytes are there first, so a length field can
 * never make the decoder allocate more than what remains of the input.
 */
final class PickleInput {

    /**
     * What copies of values already decoded may allocate in all, in bytes: unlike a read, a copy ({@code bytes(x)},
     * {@code list(x)}, a byte-swapped array) of a memoized value can be asked for again and again by a few bytes of
     * input, so copies share a budget of a few times the input's size, far above what an honest pickle copies.
     */
    private static final long COPY_FLOOR = 16L << 20;

    private static final int COPY_FACTOR = 8;

    private final byte[] data;
    private long copyBudget;
    private int position;
    private int opcodeOffset;
    private int opcode = -1;

    PickleInput(byte[] data) {
        this.data = data;
        this.copyBudget = COPY_FLOOR + COPY_FACTOR * (long) data.length;
    }

    /** Charges a copy of a decoded value of about {@code bytes} bytes against the copy budget; fails past it. */
    void chargeCopy(long bytes) {
        copyBudget -= bytes;
        if (copyBudget < 0) {
            throw corrupt("the pickle copies values it already holds into more than " + COPY_FACTOR
                    + " times its own size (" + data.length + " bytes), which no pickle Python writes does");
        }
    }

    /** Reads the next opcode and remembers where it started, for messages. */
    int nextOpcode() {
        opcodeOffset = position;
        opcode = -1;
        if (position >= data.length) {
            throw corrupt("the data ends without a STOP opcode (truncated pickle?)");
        }
        opcode = data[position++] & 0xFF;
        return opcode;
    }

    /** The opcode being executed, for messages. */
    int opcode() {
        return opcode;
    }

    int opcodeOffset() {
        return opcodeOffset;
    }

    int remaining() {
        return data.length - position;
    }

    int u8() {
        need(1);
        return data[position++] & 0xFF;
    }

    int u16le() {
        return (int) littleEndian(2) & 0xFFFF;
    }

    int s32le() {
        return (int) littleEndian(4);
    }

    long u32le() {
        return littleEndian(4) & 0xFFFF_FFFFL;
    }

    /** A signed 32-bit length (LONG4, BINSTRING), refused when negative. */
    long s32length() {
        int length = s32le();
        if (length < 0) {
            throw corrupt(Opcodes.name(opcode) + " declares a negative length (" + length + ")");
        }
        return length;
    }

    /** An unsigned 64-bit length; values above Long.MAX_VALUE come back negative and fail {@link #bytes}. */
    long u64le() {
        return littleEndian(8);
    }

    /** An 8-byte big-endian IEEE-754 double, as BINFLOAT stores it (NaN, infinities and -0.0 kept bit for bit). */
    double f64be() {
        need(8);
        double value =
                ByteBuffer.wrap(data, position, 8).order(ByteOrder.BIG_ENDIAN).getDouble();
        position += 8;
        return value;
    }

    /** The next {@code length} bytes, refused when fewer remain (also when the length is negative). */
    byte[] bytes(long length) {
        need(length);
        var out = Arrays.copyOfRange(data, position, position + (int) length);
        position += (int) length;
        return out;
    }

    /** The next {@code length} bytes decoded as UTF-8, allowing encoded lone surrogates as Python does. */
    String utf8(long length) {
        need(length);
        try {
            var text = Utf8.decode(data, position, (int) length);
            position += (int) length;
            return text;
        } catch (IllegalArgumentException e) {
            throw corrupt("invalid UTF-8 in a string: " + e.getMessage());
        }
    }

    /** The bytes up to the next newline (which is consumed, not returned), for the text opcodes of protocol 0. */
    byte[] line() {
        for (int i = position; i < data.length; i++) {
            if (data[i] == '\n') {
                var out = Arrays.copyOfRange(data, position, i);
                position = i + 1;
                return out;
            }
        }
        throw corrupt("truncated pickle: the argument of " + Opcodes.name(opcode) + " has no terminating newline");
    }

    /** Checks that {@code length} more bytes are there, without reading them (FRAME announces a length). */
    void checkAvailable(long length) {
        need(length);
    }

    CorruptPickleException corrupt(String detail) {
        return new CorruptPickleException(detail, opcodeOffset);
    }

    UnsupportedPickleException unsupported(String pythonType, String detail) {
        return new UnsupportedPickleException(pythonType, detail, opcodeOffset);
    }

    private long littleEndian(int width) {
        need(width);
        long value = 0;
        for (int i = width - 1; i >= 0; i--) {
            value = value << 8 | (data[position + i] & 0xFF);
        }
        if (width < 8) {
            // sign-extend, so that s32le sees negative values; u32le masks again
            value = value << (64 - 8 * width) >> (64 - 8 * width);
        }
        position += width;
        return value;
    }

    private void need(long length) {
        if (length < 0 || length > remaining()) {
            // a negative length here is an unsigned 64-bit one above Long.MAX_VALUE
            throw corrupt("truncated pickle: " + Opcodes.name(opcode) + " needs " + Long.toUnsignedString(length)
                    + " more bytes, " + remaining() + " remain");
        }
    }
}
