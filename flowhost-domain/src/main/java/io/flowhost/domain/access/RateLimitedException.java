package io.flowhost.domain.access;

/**
 * A call past a quota (its token's or its service's): 429 with when to try again and the quota that refused it, in
 * the IETF {@code RateLimit-Policy} and {@code RateLimit} fields.
 */
public final class RateLimitedException extends RuntimeException {

    private final String policy;
    private final Rate rate;
    private final TokenBucket.Decision decision;

    /**
     * @param policy the quota's name ({@code token-ci}, {@code service-iris})
     * @param whose what the quota is on, for people ({@code token 'ci'}, {@code service 'iris'})
     */
    public RateLimitedException(String policy, String whose, Rate rate, TokenBucket.Decision decision) {
        super(whose + " is past its quota of " + rate + ": try again in " + seconds(decision.retryAfterNanos())
                + " s, or ask an admin for a higher rate");
        this.policy = policy;
        this.rate = rate;
        this.decision = decision;
    }

    public String policy() {
        return policy;
    }

    public Rate rate() {
        return rate;
    }

    /** Whole seconds until a call would be let by (at least 1, as {@code Retry-After} counts). */
    public int retryAfterSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, seconds(decision.retryAfterNanos()));
    }

    /** Whole seconds until the quota is whole again. */
    public long resetSeconds() {
        return seconds(decision.resetNanos());
    }

    private static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999) / 1_000_000_000);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // a refusal on the hot path, not a bug: no stack to walk
    }
}
