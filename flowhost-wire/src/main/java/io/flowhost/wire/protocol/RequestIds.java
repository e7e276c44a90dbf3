package io.flowhost.wire.protocol;

import java.util.concurrent.ThreadLocalRandom;

/** Makes request ids: 16 hex digits of randomness, cheap enough for every call. */
public final class RequestIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RequestIds() {}

    /** A new random id. */
    public static String next() {
        long bits = ThreadLocalRandom.current().nextLong();
        char[] out = new char[16];
        for (int i = 15; i >= 0; i--) {
            out[i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
        return new String(out);
    }

    /** The caller's id if it is a sensible one (1-64 visible ASCII characters), else a new one. */
    public static String acceptOrNext(String given) {
        if (given == null || given.isEmpty() || given.length() > 64) {
            return next();
        }
        for (int i = 0; i < given.length(); i++) {
            char c = given.charAt(i);
            if (c <= ' ' || c > '~' || c == '"' || c == '\\') {
                return next();
            }
        }
        return given;
    }
}
