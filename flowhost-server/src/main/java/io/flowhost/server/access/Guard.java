package io.flowhost.server.access;

import io.flowhost.domain.access.ApiToken;
import io.flowhost.domain.access.Scope;
import io.flowhost.domain.access.TokenSecrets;
import io.flowhost.state.TokenStore;
import io.flowhost.wire.protocol.ForbiddenException;
import io.flowhost.wire.protocol.UnauthorizedException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a request's bearer token against the scope its route needs. A server with no tokens on loopback asks for
 * none (one machine, one user, as before tokens existed); once one token exists, every guarded route asks. What the
 * store says is remembered for a second, so a revoke reaches every gateway within one.
 */
public final class Guard {

    /** How long what the store said about a token (or about there being none) is believed. */
    static final Duration REMEMBER = Duration.ofSeconds(1);

    private static final int REMEMBERED_AT_MOST = 10_000;

    private record Seen(Optional<ApiToken> token, Instant at) {}

    private final TokenStore tokens;
    private final boolean openWithoutTokens;
    private final InstantSource clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private volatile Instant noneCheckedAt = Instant.MIN;
    private volatile boolean none;

    /**
     * @param openWithoutTokens whether requests need no token while none exists (a server on loopback)
     */
    public Guard(TokenStore tokens, boolean openWithoutTokens, InstantSource clock) {
        this.tokens = tokens;
        this.openWithoutTokens = openWithoutTokens;
        this.clock = clock;
    }

    /**
     * Lets the request by, or throws {@link UnauthorizedException} (no token, or not one this server accepts) or
     * {@link ForbiddenException} (a token without the scope {@code needed}).
     *
     * @param authorization the request's {@code Authorization} header, or null
     * @param needed what the route needs, or null for an open route
     */
    public void check(String authorization, Scope needed) {
        if (needed == null) {
            return;
        }
        var now = clock.instant();
        if (openWithoutTokens && noTokens(now)) {
            return;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException("this server asks for a token: send 'Authorization: Bearer <token>'"
                    + " (the CLI reads FLOWHOST_TOKEN or --token; an admin makes one with 'flowhost tokens create')");
        }
        var presented = authorization.substring(7).trim();
        var token = lookUp(TokenSecrets.sha256(presented), now)
                .orElseThrow(() ->
                        new UnauthorizedException("this token is not one this server accepts (revoked, or mistyped)"));
        if (!TokenSecrets.matches(presented, token)) { // the lookup was by hash; compare in constant time too
            throw new UnauthorizedException("this token is not one this server accepts (revoked, or mistyped)");
        }
        if (!token.validAt(now)) {
            throw new UnauthorizedException("token '" + token.name() + "' expired at " + token.expiresAt()
                    + ": an admin makes a new one with 'flowhost tokens create'");
        }
        if (!token.scope().grants(needed)) {
            throw new ForbiddenException("token '" + token.name() + "' has scope " + token.scope() + "; this needs "
                    + needed + (needed.equals(Scope.READ) ? "" : " (or admin)"));
        }
    }

    /** Forgets what was remembered, so that a token made or revoked through this gateway counts at once. */
    public void forget() {
        seen.clear();
        noneCheckedAt = Instant.MIN;
    }

    private boolean noTokens(Instant now) {
        if (noneCheckedAt.plus(REMEMBER).isBefore(now)) {
            none = tokens.list().isEmpty();
            noneCheckedAt = now;
        }
        return none;
    }

    private Optional<ApiToken> lookUp(String sha256, Instant now) {
        var known = seen.get(sha256);
        if (known != null && !known.at().plus(REMEMBER).isBefore(now)) {
            return known.token();
        }
        if (seen.size() >= REMEMBERED_AT_MOST) {
            seen.clear(); // someone tries many tokens: remember none rather than grow
        }
        var token = tokens.bySha256(sha256);
        seen.put(sha256, new Seen(token, now));
        return token;
    }
}
