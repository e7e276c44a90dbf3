package io.flowhost.onnx;

import java.util.Arrays;

/** Small shape arithmetic shared by tensors and the input check. */
final class Shapes {
    private Shapes() {}

    /** Returns the number of elements a concrete shape holds, or -1 if it would not fit in a Java array. */
    static long elementCount(long[] shape) {
        if (Arrays.stream(shape).anyMatch(dim -> dim == 0)) {
            return 0;
        }
        long count = 1;
        for (long dim : shape) {
            // Bounding by the largest array keeps the arithmetic far from long overflow.
            if (count > Integer.MAX_VALUE / dim) {
                return -1;
            }
            count *= dim;
        }
        return count;
    }

    /** Formats a shape the way messages show it, such as {@code [-1, 4]}. */
    static String format(long[] shape) {
        return Arrays.toString(shape);
    }
}
