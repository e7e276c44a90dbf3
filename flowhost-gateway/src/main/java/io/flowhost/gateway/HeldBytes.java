package io.flowhost.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the gateway holds while calls wait for an instance, across every deployment:
 * {@code max-held} bounds how many calls one deployment holds, this bounds what they weigh, so that a burst of
 * large bodies at a deployment waking from zero cannot take the gateway's memory (40 held calls of 8 MB added
 * 274 MiB before there was a bound).
 */
public final class HeldBytes {

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    /** @param limit the most bytes held at once; a call that would pass it gets 503 with Retry-After */
    public HeldBytes(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("max-held-bytes: " + limit + " (expected: >= 0)");
        }
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit; false when they would pass the limit. */
    boolean take(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > limit) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Gives back bytes taken: the held call went on to an instance, or failed. */
    void give(long bytes) {
        held.addAndGet(-bytes);
    }

    /** Bytes held now. */
    public long held() {
        return held.get();
    }

    /** The most that may be held. */
    public long limit() {
        return limit;
    }
}
