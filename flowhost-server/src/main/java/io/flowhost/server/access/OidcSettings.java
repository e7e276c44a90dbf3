package io.flowhost.server.access;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An identity provider whose JWTs the server accepts beside its own tokens ({@code --oidc-*}), checked when built:
 * a bad value fails at startup naming the flag and what it expects.
 *
 * @param issuer the {@code iss} every accepted JWT must carry, exactly ({@code --oidc-issuer})
 * @param jwks where the issuer's public keys are: a {@code file:} URI (read again when the file changes) or an
 *             {@code https://} (or {@code http://}) URL, fetched and cached ({@code --oidc-jwks})
 * @param audience the {@code aud} every accepted JWT must name, or null to ask for none ({@code --oidc-audience})
 * @param scopeClaim the claim that holds the flowhost scopes: a space-separated string or an array of strings
 *                   ({@code --oidc-scope-claim}, default {@code scope})
 * @param scopePrefix what an entry of that claim must start with to be a flowhost scope, stripped before it is read
 *                    ({@code --oidc-scope-prefix}, e.g. {@code flowhost:}); empty for none (the default)
 * @param nameClaim the claim that names the caller in logs, metrics and {@code X-Flowhost-Caller}, after
 *                  {@code oidc:} ({@code --oidc-name-claim}, default {@code sub})
 */
public record OidcSettings(
        String issuer, URI jwks, String audience, String scopeClaim, String scopePrefix, String nameClaim) {

    public static final String DEFAULT_SCOPE_CLAIM = "scope";
    public static final String DEFAULT_NAME_CLAIM = "sub";

    public OidcSettings {
        if (issuer == null || issuer.isBlank() || issuer.strip().chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("oidc-issuer: '" + issuer + "' (expected: the issuer's identifier, its"
                    + " tokens' iss claim exactly, e.g. https://login.example.com/realms/ml)");
        }
        issuer = issuer.strip();
        if (jwks == null) {
            throw new IllegalArgumentException("oidc-jwks: missing (expected: where issuer " + issuer + " publishes"
                    + " its keys, e.g. https://login.example.com/realms/ml/protocol/openid-connect/certs or a file)");
        }
        var scheme = jwks.getScheme() == null ? "" : jwks.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") && !scheme.equals("file")) {
            throw new IllegalArgumentException(
                    "oidc-jwks: '" + jwks + "' (expected: a file, or an https:// URL of the issuer's JWKS)");
        }
        if (!scheme.equals("file") && (jwks.getHost() == null || jwks.getHost().isEmpty())) {
            throw new IllegalArgumentException("oidc-jwks: '" + jwks + "' names no host");
        }
        if (audience != null && audience.isBlank()) {
            throw new IllegalArgumentException("oidc-audience: blank (expected: the aud the issuer puts in tokens"
                    + " for this server, e.g. flowhost; or leave the flag out)");
        }
        scopeClaim = claimName("oidc-scope-claim", scopeClaim, DEFAULT_SCOPE_CLAIM);
        nameClaim = claimName("oidc-name-claim", nameClaim, DEFAULT_NAME_CLAIM);
        scopePrefix = scopePrefix == null ? "" : scopePrefix;
        if (scopePrefix.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("oidc-scope-prefix: '" + scopePrefix + "' (expected: no spaces, e.g."
                    + " flowhost: so that flowhost:deploy reads as deploy)");
        }
    }

    /** An issuer with the defaults: no audience asked for, the scopes in {@code scope}, named by {@code sub}. */
    public static OidcSettings of(String issuer, URI jwks) {
        return new OidcSettings(issuer, jwks, null, null, null, null);
    }

    /** These settings asking for another audience (null: none). */
    public OidcSettings withAudience(String aud) {
        return new OidcSettings(issuer, jwks, aud, scopeClaim, scopePrefix, nameClaim);
    }

    /** These settings reading the scopes from another claim, entries starting with {@code prefix} only. */
    public OidcSettings withScopes(String claim, String prefix) {
        return new OidcSettings(issuer, jwks, audience, claim, prefix, nameClaim);
    }

    /** These settings naming callers by another claim. */
    public OidcSettings withNameClaim(String claim) {
        return new OidcSettings(issuer, jwks, audience, scopeClaim, scopePrefix, claim);
    }

    /**
     * Where {@code --oidc-jwks} says the keys are: an {@code http(s)://} or {@code file:} URL as it is, anything else
     * a file path.
     */
    public static URI jwksLocation(String given) {
        if (given == null || given.isBlank()) {
            return null;
        }
        var text = given.strip();
        var lower = text.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("https://") || lower.startsWith("http://") || lower.startsWith("file:")) {
                return URI.create(text);
            }
            if (lower.matches("[a-z][a-z0-9+.-]*://.*")) {
                throw new IllegalArgumentException("another scheme");
            }
            return Path.of(text).toAbsolutePath().normalize().toUri();
        } catch (IllegalArgumentException e) { // InvalidPathException is one
            throw new IllegalArgumentException(
                    "oidc-jwks: '" + text + "' (expected: a file, or an https:// URL of the issuer's JWKS)");
        }
    }

    /** Whether the keys are in a file (else fetched from a URL). */
    public boolean jwksInFile() {
        return "file".equalsIgnoreCase(jwks.getScheme());
    }

    private static String claimName(String flag, String given, String otherwise) {
        if (given == null) {
            return otherwise;
        }
        if (given.isBlank() || given.strip().chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    flag + ": '" + given + "' (expected: a claim's name, e.g. " + otherwise + ")");
        }
        return given.strip();
    }
}
