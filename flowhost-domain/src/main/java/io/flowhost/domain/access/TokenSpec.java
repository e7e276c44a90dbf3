package io.flowhost.domain.access;

import java.time.Instant;

/**
 * A token as a person asks for one, in words: read and checked in one place, whether the server makes it or the
 * command line makes it in the state store directly.
 *
 * @param name what to call it ({@code ci})
 * @param scope {@code admin}, {@code deploy}, {@code read} or {@code invoke:SERVICE}
 * @param expires its lifetime ({@code 30d}, {@code 12h}), or null for never
 * @param rate its quota ({@code 100/s}), or null for none
 * @param burst how many calls may come at once within the rate, or null for one second's worth
 */
public record TokenSpec(String name, String scope, String expires, String rate, String burst) {

    /** A new token as asked for, made at {@code now}; a bad value throws {@link IllegalArgumentException}. */
    public TokenSecrets.Issued issue(Instant now) {
        var parsedScope = Scope.parse(scope);
        var expiresAt = expires == null ? null : now.plus(TokenSecrets.lifetime(expires));
        Rate quota = null;
        if (rate != null) {
            quota = Rate.parse(rate, burst == null ? null : Rate.burst(burst));
        } else if (burst != null) {
            throw new IllegalArgumentException("burst: given without a rate (give rate too, such as 100/s)");
        }
        var issued = TokenSecrets.issue(name, parsedScope, now, expiresAt);
        return new TokenSecrets.Issued(issued.token(), issued.kept().withRate(quota));
    }
}
