package io.flowhost.server.access;

import io.flowhost.wire.protocol.UnauthorizedException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What verifying each JWT presented concluded (its bearer, or why it is refused), believed for a second as
 * {@link TokenCache} believes the store: so that a call with a JWT seen in the last second is decided on the event
 * loop, and any other is verified on a virtual thread (where fetching the issuer's keys may block). Kept by the
 * token's SHA-256, not the token: a JWT can be kilobytes, and the map holds no credential. A bearer whose token
 * expires within the second is refused once it has ({@link OidcCaller#validAt}).
 */
final class JwtCache {

    private static final int REMEMBERED_AT_MOST = 10_000;

    private record Seen(OidcCaller caller, String refusal, Instant at) {}

    private final OidcIssuer issuer;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    JwtCache(OidcIssuer issuer) {
        this.issuer = issuer;
    }

    OidcIssuer issuer() {
        return issuer;
    }

    /**
     * Whether a bearer token is a JWT, to be verified here rather than looked up among flowhost's own ({@code fh_}):
     * three base64url parts with dots between, the last empty for an unsigned one (which is refused, saying so).
     */
    static boolean looksLikeJwt(String bearer) {
        int dots = 0;
        int partStart = 0;
        for (int i = 0; i < bearer.length(); i++) {
            char c = bearer.charAt(i);
            if (c == '.') {
                if (i == partStart || ++dots > 2) {
                    return false; // an empty header or payload, or a fourth part (JWE has five)
                }
                partStart = i + 1;
            } else if (!(c >= 'A' && c <= 'Z'
                    || c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '_')) {
                return false;
            }
        }
        return dots == 2;
    }

    /**
     * The bearer of the JWT with this SHA-256 as verified in the last second, or null when it must be verified;
     * throws {@link UnauthorizedException} when it was refused then. Never blocks.
     */
    OidcCaller believed(String sha256, Instant now) {
        var known = seen.get(sha256);
        if (known == null || known.at().plus(TokenCache.REMEMBER).isBefore(now)) {
            return null;
        }
        if (known.refusal() != null) {
            throw new UnauthorizedException(known.refusal());
        }
        return known.caller();
    }

    /**
     * The bearer of this JWT, from what is believed or else verified now (which may block on the issuer's keys);
     * throws {@link UnauthorizedException} saying why it is refused.
     */
    OidcCaller lookUp(String jwt, String sha256, Instant now) {
        var known = believed(sha256, now);
        if (known != null) {
            return known;
        }
        if (seen.size() >= REMEMBERED_AT_MOST) {
            seen.clear(); // someone tries many tokens: remember none rather than grow
        }
        try {
            var caller = issuer.verify(jwt);
            seen.put(sha256, new Seen(caller, null, now));
            return caller;
        } catch (UnauthorizedException refused) {
            seen.put(sha256, new Seen(null, refused.getMessage(), now));
            throw refused;
        }
    }
}
