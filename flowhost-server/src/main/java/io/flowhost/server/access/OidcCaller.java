package io.flowhost.server.access;

import io.flowhost.domain.access.Scope;
import io.flowhost.wire.protocol.ForbiddenException;
import io.flowhost.wire.protocol.UnauthorizedException;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who a verified JWT of the configured issuer says its bearer is: what flowhost calls them, the flowhost scopes its
 * claim grants, and until when it is accepted.
 *
 * @param name {@code oidc:} and the name claim ({@code oidc:alice}): for logs, metrics and {@code X-Flowhost-Caller}
 * @param scopes the flowhost scopes the token grants (any one may allow a request); empty when it grants none
 * @param expiresAt its {@code exp}
 */
record OidcCaller(String name, Set<Scope> scopes, Instant expiresAt) {

    OidcCaller {
        scopes = Set.copyOf(scopes);
    }

    /** Whether any of its scopes allows what {@code needed} allows. */
    boolean grants(Scope needed) {
        return scopes.stream().anyMatch(s -> s.grants(needed));
    }

    /** Whether it is still accepted at {@code now}: up to its {@code exp} and the clock skew allowed past it. */
    boolean validAt(Instant now) {
        return now.isBefore(expiresAt.plus(OidcIssuer.CLOCK_SKEW));
    }

    /**
     * Lets the request by, or throws {@link UnauthorizedException} (expired since it was verified) or
     * {@link ForbiddenException} (no scope that allows {@code needed}, naming what is needed).
     *
     * @param noScopeHint what to say of a token that grants no flowhost scope at all: where they would be
     */
    void require(Scope needed, Instant now, String noScopeHint) {
        if (!validAt(now)) {
            throw new UnauthorizedException("token '" + name + "' expired at " + expiresAt
                    + ": sign in to the identity provider again for a new one");
        }
        if (!grants(needed)) {
            throw new ForbiddenException(
                    "token '" + name + "' has " + describeScopes(noScopeHint) + "; this needs "
                            + needed
                            + (needed.kind() == Scope.Kind.DEPLOY || needed.kind() == Scope.Kind.INVOKE
                                    ? " (or admin)"
                                    : ""),
                    name);
        }
    }

    private String describeScopes(String noScopeHint) {
        if (scopes.isEmpty()) {
            return "no flowhost scope (" + noScopeHint + ")";
        }
        var sorted = scopes.stream()
                .sorted((a, b) -> a.toString().compareTo(b.toString()))
                .map(Scope::toString)
                .collect(Collectors.joining(" "));
        return (scopes.size() == 1 ? "scope " : "scopes ") + sorted;
    }
}
