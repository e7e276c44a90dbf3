package io.flowhost.domain.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A token as it is kept: never the token itself, only its SHA-256, so that the state store cannot give one away.
 *
 * @param name what people call it ({@code ci}, {@code alice}), unique among the tokens kept
 * @param scope what it may do
 * @param sha256 the SHA-256 of the token, in lower-case hex
 * @param createdAt when it was made
 * @param expiresAt when it stops being accepted, or null for never
 * @param rate its quota, per gateway, or null for none
 */
public record ApiToken(String name, Scope scope, String sha256, Instant createdAt, Instant expiresAt, Rate rate) {

    public ApiToken {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256: expected 64 lower-case hex digits");
        }
    }

    /** A token with no quota. */
    public ApiToken(String name, Scope scope, String sha256, Instant createdAt, Instant expiresAt) {
        this(name, scope, sha256, createdAt, expiresAt, null);
    }

    /** This token with a quota (or none, given null). */
    public ApiToken withRate(Rate quota) {
        return new ApiToken(name, scope, sha256, createdAt, expiresAt, quota);
    }

    /** Whether it is still accepted at {@code now}. */
    public boolean validAt(Instant now) {
        return expiresAt == null || now.isBefore(expiresAt);
    }
}
