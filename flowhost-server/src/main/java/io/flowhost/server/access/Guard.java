package io.flowhost.server.access;

import io.flowhost.domain.access.ApiToken;
import io.flowhost.domain.access.Scope;
import io.flowhost.domain.access.TokenSecrets;
import io.flowhost.domain.audit.AuditEvent;
import io.flowhost.state.TokenStore;
import io.flowhost.wire.protocol.ForbiddenException;
import io.flowhost.wire.protocol.UnauthorizedException;
import java.time.InstantSource;
import java.util.function.Consumer;

/**
 * Checks a request's bearer token against the scope its route needs. A server with no tokens on loopback asks for
 * none (one machine, one user, as before tokens existed); once one token exists, every guarded route asks. What the
 * store says is remembered for a second, so a revoke reaches every gateway within one. With an OIDC issuer, a bearer
 * that is a JWT is verified against it instead (and remembered for a second too); the issuer's tokens count as tokens
 * that exist. Its {@link #calls()} do the same for calls to the deployments that ask for a token.
 */
public final class Guard {

    private final TokenCache cache;
    private final JwtCache jwts;
    private final Quotas quotas;
    private final boolean openWithoutTokens;
    private final CallAdmission calls;

    /**
     * @param openWithoutTokens whether management requests need no token while none exists (a server on loopback)
     * @param audit where calls refused for their token are recorded
     */
    public Guard(
            TokenStore tokens,
            boolean openWithoutTokens,
            InstantSource clock,
            Quotas quotas,
            Consumer<AuditEvent> audit,
            OidcIssuer oidc) {
        this.cache = new TokenCache(tokens, clock);
        this.jwts = oidc == null ? null : new JwtCache(oidc);
        this.quotas = quotas;
        this.openWithoutTokens = openWithoutTokens && oidc == null;
        this.calls = new CallAdmission(cache, jwts, quotas, audit);
    }

    /** What lets calls by, sharing what this guard remembers of tokens and its quotas. */
    public CallAdmission calls() {
        return calls;
    }

    /**
     * Lets the request by, or throws {@link UnauthorizedException} (no token, or not one this server accepts),
     * {@link ForbiddenException} (a token without the scope {@code needed}) or a {@code RateLimitedException} (past
     * the token's quota). May block on the token store.
     *
     * @return the name of the token that let it by, or null when none was needed
     * @param authorization the request's {@code Authorization} header, or null
     * @param needed what the route needs, or null for an open route
     */
    public String check(String authorization, Scope needed) {
        return admit(authorization, needed, true);
    }

    /**
     * {@link #check} without taking from the token's quota: for a look ahead at a request that is checked again, such
     * as a jar's upload, refused from its head before its body is read.
     */
    public String checkAhead(String authorization, Scope needed) {
        return admit(authorization, needed, false);
    }

    /**
     * Whether a request with this {@code Authorization} header would be let by a route that needs {@code scope} (what
     * the dashboard asks to show a button or not); takes nothing from the token's quota.
     */
    public boolean allows(String authorization, Scope scope) {
        try {
            admit(authorization, scope, false);
            return true;
        } catch (UnauthorizedException | ForbiddenException e) {
            return false;
        }
    }

    private String admit(String authorization, Scope needed, boolean takeQuota) {
        if (needed == null) {
            return null;
        }
        var now = cache.now();
        if (openWithoutTokens && cache.none(now)) {
            return null;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException("this server asks for a token: send 'Authorization: Bearer <token>'"
                    + " (the CLI reads FLOWHOST_TOKEN or --token; an admin makes one with 'flowhost tokens create'"
                    + (jwts == null
                            ? ""
                            : ", or send a JWT of " + jwts.issuer().settings().issuer()) + ")");
        }
        var bearer = authorization.substring(7).trim();
        var sha256 = TokenSecrets.sha256(bearer);
        if (jwts != null && JwtCache.looksLikeJwt(bearer)) {
            var caller = jwts.lookUp(bearer, sha256, now);
            caller.require(needed, now, jwts.issuer().noScopeHint());
            if (takeQuota) {
                quotas.take(caller);
            }
            return caller.name();
        }
        var token = cache.lookUp(sha256, now)
                .filter(t -> TokenSecrets.hashMatches(sha256, t)) // found by hash; compared in constant time too
                .orElseThrow(() ->
                        new UnauthorizedException("this token is not one this server accepts (revoked, or mistyped)"));
        if (!token.validAt(now)) {
            throw expired(token);
        }
        if (!token.scope().grants(needed)) {
            throw new ForbiddenException(
                    "token '" + token.name() + "' has scope " + token.scope() + "; this needs " + needed
                            + (needed.kind() == Scope.Kind.DEPLOY || needed.kind() == Scope.Kind.INVOKE
                                    ? " (or admin)"
                                    : ""),
                    token.name());
        }
        if (takeQuota) {
            quotas.take(token);
        }
        return token.name();
    }

    static UnauthorizedException expired(ApiToken token) {
        return new UnauthorizedException("token '" + token.name() + "' expired at " + token.expiresAt()
                + ": an admin makes a new one with 'flowhost tokens create'");
    }

    /** Forgets what was remembered, so that a token made or revoked through this gateway counts at once. */
    public void forget() {
        cache.forget();
    }
}
