package io.flowhost.domain.access;

import io.flowhost.domain.settings.Durations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Makes tokens and hashes them: 256 random bits, written {@code fh_} and 43 base64url characters. */
public final class TokenSecrets {

    /** What every flowhost token starts with, so that a secret scanner (or a person) can tell one. */
    public static final String PREFIX = "fh_";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][-_.A-Za-z0-9]{0,62}");
    private static final Pattern DAYS = Pattern.compile("(\\d{1,5})d");
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A new token and what to keep of it.
     *
     * @param token the token, to be shown once and never again
     * @param kept what the state store keeps
     */
    public record Issued(String token, ApiToken kept) {}

    private TokenSecrets() {}

    /** A new token named {@code name} with {@code scope}, made at {@code now}, expiring at {@code expiresAt} (or never). */
    public static Issued issue(String name, Scope scope, Instant now, Instant expiresAt) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("token name '" + name
                    + "' (expected 1-63 letters, digits, '-', '_' or '.', starting with a letter or digit)");
        }
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("a token must expire after it is made");
        }
        var bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        var token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new Issued(token, new ApiToken(name, scope, sha256(token), now, expiresAt));
    }

    /** How long a token lives: {@code 30d}, or any duration flowhost reads ({@code 12h}, {@code 90m}, {@code PT1H}). */
    public static Duration lifetime(String text) {
        var days = DAYS.matcher(text.trim());
        return days.matches() ? Duration.ofDays(Long.parseLong(days.group(1))) : Durations.parse(text);
    }

    /** The SHA-256 of a token as presented, in lower-case hex: what it is looked up by. */
    public static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether a presented token's hash is the kept one, in time that does not depend on where they differ. */
    public static boolean matches(String presented, ApiToken kept) {
        return hashMatches(sha256(presented), kept);
    }

    /** Whether a presented token's SHA-256 (hex) is the kept one, in time that does not depend on where they differ. */
    public static boolean hashMatches(String presentedSha256, ApiToken kept) {
        return MessageDigest.isEqual(
                presentedSha256.getBytes(StandardCharsets.US_ASCII),
                kept.sha256().getBytes(StandardCharsets.US_ASCII));
    }
}
