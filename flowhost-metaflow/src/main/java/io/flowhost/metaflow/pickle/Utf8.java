package io.flowhost.metaflow.pickle;

import java.nio.charset.StandardCharsets;

/**
 * A strict UTF-8 decoder that, like Python's {@code surrogatepass} error handler used by pickle, accepts
 * lone surrogates encoded as three bytes ({@code ED A0 80}..{@code ED BF BF}); Java's decoder would replace them.
 */
final class Utf8 {

    private Utf8() {}

    /** Decodes the bytes, throwing IllegalArgumentException with the position of the first invalid sequence. */
    static String decode(byte[] data, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && data[i] >= 0) {
            i++;
        }
        if (i == end) {
            return new String(data, offset, length, StandardCharsets.ISO_8859_1);
        }
        var out = new StringBuilder(length);
        out.append(new String(data, offset, i - offset, StandardCharsets.ISO_8859_1));
        while (i < end) {
            int b0 = data[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int count;
            int codePoint;
            int min2;
            int max2 = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                count = 2;
                codePoint = b0 & 0x1F;
                min2 = 0x80;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                count = 3;
                codePoint = b0 & 0x0F;
                min2 = b0 == 0xE0 ? 0xA0 : 0x80; // reject overlong forms
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                count = 4;
                codePoint = b0 & 0x07;
                min2 = b0 == 0xF0 ? 0x90 : 0x80;
                max2 = b0 == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
            } else {
                throw invalid(i - offset);
            }
            if (i + count > end) {
                throw invalid(i - offset);
            }
            for (int k = 1; k < count; k++) {
                int b = data[i + k] & 0xFF;
                int min = k == 1 ? min2 : 0x80;
                int max = k == 1 ? max2 : 0xBF;
                if (b < min || b > max) {
                    throw invalid(i - offset);
                }
                codePoint = codePoint << 6 | (b & 0x3F);
            }
            out.appendCodePoint(codePoint);
            i += count;
        }
        return out.toString();
    }

    private static IllegalArgumentException invalid(int position) {
        return new IllegalArgumentException("invalid UTF-8 sequence at byte " + position + " of the string");
    }
}
