package io.flowhost.domain.request;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Makes request ids: 22 URL-safe characters, the first 8 the millisecond of acceptance and the other 14 random (84
 * bits), so nobody can guess another caller's id, and ids sort in the order they were made. No id starts with
 * {@code -}, which a command line would take for an option.
 *
 * <p>The order is for the store: a new id lands at the end of the id index, so a commit of many new requests
 * writes a few pages of it, not one page per request, as random ids did.
 */
public final class RequestIds {

    /** The URL-safe Base64 characters in ASCII order, so that a string's order is its number's. */
    private static final char[] DIGITS =
            "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".toCharArray();

    /** The same without {@code -}, for the time: base 63, whose leading digit is {@code 0} for millennia. */
    private static final char[] TIME = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".toCharArray();

    private static final int TIME_DIGITS = 8; // 63^8 milliseconds: until the year 9833
    private static final long TIME_LIMIT = 248_155_780_267_521L; // 63^8
    private static final int RANDOM_DIGITS = 14;
    private static final int RANDOM_BYTES = (RANDOM_DIGITS * 6 + 7) / 8;

    private final SecureRandom random = new SecureRandom();

    /** A new id for a request accepted at {@code now} (1970 to 9833), e.g. {@code 0NLoc4Tu7kQ2x-eZ_b9Lmy}. */
    public String next(Instant now) {
        long millis = now.toEpochMilli();
        if (millis < 0 || millis >= TIME_LIMIT) {
            throw new IllegalArgumentException("now: " + now + " (expected: from 1970 to the year 9833)");
        }
        var id = new char[TIME_DIGITS + RANDOM_DIGITS];
        for (int i = TIME_DIGITS - 1; i >= 0; i--) {
            id[i] = TIME[(int) (millis % TIME.length)];
            millis /= TIME.length;
        }
        // One draw of 88 bits rather than one per digit: each draw from the system's generator takes a lock and,
        // now and then, a read of /dev/urandom, on the event loop that accepts the call.
        var bits = new byte[RANDOM_BYTES];
        random.nextBytes(bits);
        int buffer = 0;
        int held = 0;
        int next = 0;
        for (int i = TIME_DIGITS; i < id.length; i++) {
            if (held < 6) {
                buffer = (buffer << 8) | (bits[next++] & 0xff);
                held += 8;
            }
            held -= 6;
            id[i] = DIGITS[(buffer >>> held) & 63];
        }
        return new String(id);
    }
}
