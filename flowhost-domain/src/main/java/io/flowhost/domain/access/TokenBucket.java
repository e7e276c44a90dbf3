package io.flowhost.domain.access;

/**
 * One quota's bucket: calls take a token each, tokens come back at the rate, up to the burst. Time is passed in
 * (nanoseconds of a monotonic clock), so that what it decides can be tested without waiting.
 */
public final class TokenBucket {

    /** What a bucket said to one call. */
    public record Decision(boolean admitted, long remaining, long retryAfterNanos, long resetNanos) {}

    private static final double NANOS = 1e9;

    private final Rate rate;
    private double tokens;
    private long at;

    /** A full bucket at {@code nowNanos}. */
    public TokenBucket(Rate rate, long nowNanos) {
        this.rate = rate;
        this.tokens = rate.burst();
        this.at = nowNanos;
    }

    public Rate rate() {
        return rate;
    }

    /** Takes one token for a call at {@code nowNanos}, or says how long until one is there. */
    public synchronized Decision take(long nowNanos) {
        if (nowNanos > at) {
            tokens = Math.min(rate.burst(), tokens + (nowNanos - at) / NANOS * rate.perSecond());
            at = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return new Decision(true, (long) tokens, 0, untilFull());
        }
        long wait = (long) Math.ceil((1 - tokens) / rate.perSecond() * NANOS);
        return new Decision(false, 0, wait, untilFull());
    }

    private long untilFull() {
        return (long) Math.ceil((rate.burst() - tokens) / rate.perSecond() * NANOS);
    }
}
