package io.flowhost.metaflow.pickle;

import java.math.BigInteger;

/** Python ints as Java values: a Long when the value fits, a BigInteger otherwise. */
final class PyInt {

    private PyInt() {}

    static Object of(BigInteger value) {
        return value.bitLength() < Long.SIZE ? (Object) value.longValue() : value;
    }

    /** The value of LONG1/LONG4: little-endian two's complement, no bytes meaning zero. */
    static Object fromTwosComplementLittleEndian(byte[] bytes) {
        if (bytes.length == 0) {
            return 0L;
        }
        var bigEndian = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bigEndian[i] = bytes[bytes.length - 1 - i];
        }
        return of(new BigInteger(bigEndian));
    }
}
