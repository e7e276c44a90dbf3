package io.flowhost.server.access;

import io.flowhost.domain.access.ApiToken;
import io.flowhost.domain.access.RateLimitedException;
import io.flowhost.domain.access.TokenBucket;
import io.flowhost.domain.deployment.Deployment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * This gateway's quota buckets: one per token that has a rate, one per deployment that has one (a JWT's bearer has
 * none of their own). Each gateway counts the calls it sees, so that a call costs no round trip to shared state;
 * behind N gateways a quota is per gateway.
 */
public final class Quotas {

    /** What is told of each call a token made and whether its quota refused it. */
    public interface Counts {
        /** A call by token {@code name}: let by, or refused by a quota. */
        void tokenCall(String name, boolean limited);

        /** A call to {@code service} refused by the service's own quota. */
        void serviceLimited(String service);
    }

    private final LongSupplier nanos;
    private final Counts counts;
    private final Map<String, TokenBucket> byToken = new ConcurrentHashMap<>();
    private final Map<String, TokenBucket> byDeployment = new ConcurrentHashMap<>();

    /** @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime}) */
    public Quotas(LongSupplier nanos, Counts counts) {
        this.nanos = nanos;
        this.counts = counts;
    }

    /** Counts a call by {@code token} against its quota, or throws {@link RateLimitedException} past it. */
    void take(ApiToken token) {
        if (token.rate() == null) {
            counts.tokenCall(token.name(), false);
            return;
        }
        long now = nanos.getAsLong();
        var decision = byToken.computeIfAbsent(token.sha256(), sha -> new TokenBucket(token.rate(), now))
                .take(now);
        counts.tokenCall(token.name(), !decision.admitted());
        if (!decision.admitted()) {
            throw new RateLimitedException(
                    "token-" + token.name(), "token '" + token.name() + "'", token.rate(), decision);
        }
    }

    /**
     * Counts a call by the bearer of an issuer's JWT: it has no quota of its own (an identity provider's users are not
     * in the token store, where a rate would be kept), so it is only counted; its deployment's quota still applies.
     */
    void take(OidcCaller caller) {
        counts.tokenCall(caller.name(), false);
    }

    /** Counts a call to {@code deployment} against its service's quota, or throws past it. */
    void take(Deployment deployment) {
        var rate = deployment.access().rate();
        if (rate == null) {
            return;
        }
        long now = nanos.getAsLong();
        var decision = byDeployment
                .computeIfAbsent(deployment.id(), id -> new TokenBucket(rate, now))
                .take(now);
        if (!decision.admitted()) {
            counts.serviceLimited(deployment.service());
            throw new RateLimitedException(
                    "service-" + deployment.service(), "service '" + deployment.service() + "'", rate, decision);
        }
    }
}
