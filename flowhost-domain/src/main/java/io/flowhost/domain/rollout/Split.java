package io.flowhost.domain.rollout;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How a service's calls are shared between its primary version and one other (a canary taking its share of calls,
 * or a shadow getting a copy of them), in whole percent. Deciding a call takes no lock and allocates nothing: a
 * call with a route key falls in the bucket its key hashes to, so the same key always gets the same version; any
 * other falls in a random one.
 *
 * @param percent the other version's share, 0 to 100
 */
public record Split(int percent) {

    /** Buckets calls fall in: one per percent. */
    public static final int BUCKETS = 100;

    /** Nothing goes to the other version. */
    public static final Split NONE = new Split(0);

    public Split {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("a split is a whole percent from 0 to 100, not " + percent);
        }
    }

    /** Reads {@code 10} or {@code 10%}, saying what is wrong otherwise. */
    public static Split parse(String text) {
        var digits = text.strip();
        if (digits.endsWith("%")) {
            digits = digits.substring(0, digits.length() - 1).strip();
        }
        int percent;
        try {
            percent = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a share of calls: give a whole percent from 0 to 100, e.g. 10");
        }
        return new Split(percent);
    }

    /** Whether a call in this bucket (0 to 99) goes to the other version. */
    public boolean toOther(int bucket) {
        return bucket < percent;
    }

    /** Whether a call with this route key goes to the other version: the same key, the same answer. */
    public boolean toOther(CharSequence routeKey) {
        return toOther(bucket(routeKey));
    }

    /** Whether a call without a route key goes to the other version, by chance in the split's proportion. */
    public boolean toOtherByChance() {
        return percent > 0
                && (percent == 100 || toOther(ThreadLocalRandom.current().nextInt(BUCKETS)));
    }

    /**
     * The bucket (0 to 99) a route key falls in: FNV-1a over its characters, then mixed, so that keys that differ
     * in their last character spread over every bucket. Stable across processes and releases, as stickiness needs.
     */
    public static int bucket(CharSequence routeKey) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < routeKey.length(); i++) {
            hash ^= routeKey.charAt(i);
            hash *= 0x100000001b3L;
        }
        // splitmix64's finaliser: FNV's low bits alone are poorly spread for short keys
        hash = (hash ^ (hash >>> 30)) * 0xbf58476d1ce4e5b9L;
        hash = (hash ^ (hash >>> 27)) * 0x94d049bb133111ebL;
        hash ^= hash >>> 31;
        return (int) Long.remainderUnsigned(hash, BUCKETS);
    }
}
