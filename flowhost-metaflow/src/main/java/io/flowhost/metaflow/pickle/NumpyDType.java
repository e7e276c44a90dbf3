package io.flowhost.metaflow.pickle;

/**
 * A numpy dtype from {@code numpy.dtype('f8', False, True)}; the byte order arrives later, in the state
 * tuple of the BUILD that follows. Only used to describe arrays and scalars, never a value itself.
 */
final class NumpyDType implements Intermediate {

    private final String typeCode;
    private char byteOrder;

    /** {@code typeCode} is what numpy pickles, e.g. {@code f8}, {@code b1}, {@code U5}, {@code O8}. */
    NumpyDType(String typeCode) {
        if (!typeCode.isEmpty() && "<>|=".indexOf(typeCode.charAt(0)) >= 0) {
            this.byteOrder = typeCode.charAt(0);
            this.typeCode = typeCode.substring(1);
        } else {
            this.typeCode = typeCode;
        }
    }

    void setByteOrder(char byteOrder) {
        this.byteOrder = byteOrder;
    }

    /**
     * numpy's {@code dtype.str}, e.g. {@code <f8}, {@code |u1}: the byte order from the BUILD state ('|' for
     * one-byte types, where it does not apply), then the type code.
     */
    String str() {
        boolean oneByte = typeCode.length() == 2 && typeCode.charAt(1) == '1';
        char order = oneByte ? '|' : byteOrder;
        return order == 0 ? typeCode : order + typeCode;
    }

    @Override
    public PickleException notAValue(PickleInput in) {
        return in.unsupported(
                "numpy.dtype", "a numpy dtype (" + str() + ") on its own is not a value the JVM reader supports");
    }
}
