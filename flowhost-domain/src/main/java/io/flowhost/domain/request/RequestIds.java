package io.flowhost.domain.request;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Makes request ids: 22 URL-safe characters, the first 8 the millisecond of acceptance and the other 14 random (84
 * bits), so nobody can guess another caller's id, and ids sort in the order they were made.
 *
 * <p>The order is for the store: a new id lands at the end of the id index, so a commit of many new requests
 * writes a few pages of it, not one page per request, as random ids did.
 */
public final class RequestIds {

    /** The URL-safe Base64 characters in ASCII order, so that a string's order is its number's. */
    private static final char[] DIGITS =
            "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".toCharArray();

    private static final int TIME_DIGITS = 8; // 48 bits: milliseconds until the year 10889
    private static final int RANDOM_DIGITS = 14;

    private final SecureRandom random = new SecureRandom();

    /** A new id for a request accepted at {@code now}, e.g. {@code 0NLoc4Tu7kQ2x-eZ_b9Lmy}. */
    public String next(Instant now) {
        var id = new char[TIME_DIGITS + RANDOM_DIGITS];
        long millis = now.toEpochMilli();
        for (int i = TIME_DIGITS - 1; i >= 0; i--) {
            id[i] = DIGITS[(int) (millis & 63)];
            millis >>>= 6;
        }
        for (int i = TIME_DIGITS; i < id.length; i++) {
            id[i] = DIGITS[random.nextInt(64)];
        }
        return new String(id);
    }
}
