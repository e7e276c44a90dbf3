package io.flowhost.server.access;

import io.flowhost.domain.access.ApiToken;
import io.flowhost.state.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the token store said about each token presented (or about there being none), believed for a second: so that
 * a gateway asks the store once a second per token, not once a call, and a revoke still reaches it within one.
 */
final class TokenCache {

    /** How long what the store said is believed. */
    static final Duration REMEMBER = Duration.ofSeconds(1);

    private static final int REMEMBERED_AT_MOST = 10_000;

    private record Seen(Optional<ApiToken> token, Instant at) {}

    private final TokenStore tokens;
    private final InstantSource clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private volatile Instant noneCheckedAt = Instant.MIN;
    private volatile boolean none;

    TokenCache(TokenStore tokens, InstantSource clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** What is believed of the token with this SHA-256 at {@code now}, or null when the store must be asked. */
    Optional<ApiToken> believed(String sha256, Instant now) {
        var known = seen.get(sha256);
        return known != null && !known.at().plus(REMEMBER).isBefore(now) ? known.token() : null;
    }

    /** The token with this SHA-256, from what is believed or else from the store (which may block). */
    Optional<ApiToken> lookUp(String sha256, Instant now) {
        var known = believed(sha256, now);
        if (known != null) {
            return known;
        }
        if (seen.size() >= REMEMBERED_AT_MOST) {
            seen.clear(); // someone tries many tokens: remember none rather than grow
        }
        var token = tokens.bySha256(sha256);
        seen.put(sha256, new Seen(token, now));
        return token;
    }

    /** Whether the store keeps no token at all (which may block). */
    boolean none(Instant now) {
        if (noneCheckedAt.plus(REMEMBER).isBefore(now)) {
            none = tokens.list().isEmpty();
            noneCheckedAt = now;
        }
        return none;
    }

    /** Forgets what was believed, so that a token made or revoked through this gateway counts at once. */
    void forget() {
        seen.clear();
        noneCheckedAt = Instant.MIN;
    }
}
