package io.flowhost.server.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.flowhost.domain.access.Scope;
import io.flowhost.wire.protocol.IdentityProviderUnavailableException;
import io.flowhost.wire.protocol.UnauthorizedException;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies the JWTs of one issuer ({@code --oidc-*}) with nimbus-jose-jwt: signed with an asymmetric algorithm
 * (RS*, PS*, ES*) by a key of the issuer's JWKS, by that issuer ({@code iss}), for this server ({@code aud}, when one
 * is asked for), not expired ({@code exp} required), allowing {@link #CLOCK_SKEW} either way. Unsigned tokens
 * ({@code alg: none}), HMAC ones (whoever holds the secret could sign anything) and encrypted ones are refused.
 *
 * <p>{@link #verify} may block: a JWKS at a URL is fetched when first needed, cached for five minutes, refreshed
 * ahead of that, re-fetched when a token names a key it lacks (at most every 30 s), and the last one kept through an
 * outage of the issuer; one in a file is read again when the file changes. So it runs on a virtual thread, never on
 * an event loop.
 */
public final class OidcIssuer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("flowhost.server");

    /** How far the clocks of the issuer and this server may disagree. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    /** The signatures accepted: those a public key verifies. */
    static final Set<JWSAlgorithm> ALGORITHMS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            JWSAlgorithm.RS256,
            JWSAlgorithm.RS384,
            JWSAlgorithm.RS512,
            JWSAlgorithm.PS256,
            JWSAlgorithm.PS384,
            JWSAlgorithm.PS512,
            JWSAlgorithm.ES256,
            JWSAlgorithm.ES384,
            JWSAlgorithm.ES512)));

    /** What a JWT's {@code typ} may be: none, {@code JWT}, or an access token's (RFC 9068). */
    private static final Set<JOSEObjectType> TYPES =
            Set.of(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"));

    private static final int FETCH_TIMEOUT_MILLIS = 2_000;
    private static final int JWKS_AT_MOST_BYTES = 512 * 1024;
    private static final int NAME_AT_MOST = 128;

    private final OidcSettings settings;
    private final InstantSource clock;
    private final JWKSource<SecurityContext> keys;
    private final JWSVerificationKeySelector<SecurityContext> keySelector;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String where;

    private OidcIssuer(OidcSettings settings, InstantSource clock, JWKSource<SecurityContext> keys, String where) {
        this.settings = settings;
        this.clock = clock;
        this.keys = keys;
        this.where = where;
        keySelector = new JWSVerificationKeySelector<>(ALGORITHMS, keys);
        processor.setJWSKeySelector(keySelector);
        var types = new HashSet<>(TYPES);
        types.add(null);
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
        var required = new HashSet<>(Set.of("iss", "exp", settings.nameClaim()));
        var claims =
                new DefaultJWTClaimsVerifier<SecurityContext>(
                        settings.audience() == null ? null : Set.of(settings.audience()),
                        new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                        required,
                        null) {
                    @Override
                    protected Date currentTime() {
                        return Date.from(clock.instant());
                    }
                };
        claims.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * The issuer these settings describe, its keys read now when they are in a file (a file that cannot be read
     * fails here, saying what to give) and fetched first on a virtual thread when they are at a URL (a failure is
     * logged; tokens are refused until the keys arrive).
     *
     * @param clock what {@code exp} and {@code nbf} are compared with
     */
    public static OidcIssuer open(OidcSettings settings, InstantSource clock) {
        warnAbout(settings);
        if (settings.jwksInFile()) {
            var file = Path.of(settings.jwks());
            var source = new JwksFile(file, System::nanoTime);
            LOG.log(
                    Level.INFO,
                    "OIDC: accepting JWTs of issuer " + settings.issuer() + ", " + source.size() + " key(s) from "
                            + file);
            return new OidcIssuer(settings, clock, new JWKSetBasedJWKSource<>(source), file.toString());
        }
        URL url;
        try {
            url = settings.jwks().toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("oidc-jwks: '" + settings.jwks() + "' is not a URL: " + e.getMessage());
        }
        JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(
                        url,
                        new DefaultResourceRetriever(FETCH_TIMEOUT_MILLIS, FETCH_TIMEOUT_MILLIS, JWKS_AT_MOST_BYTES))
                .retrying(true)
                .outageTolerant(true)
                .build();
        var issuer = new OidcIssuer(settings, clock, source, url.toString());
        Thread.ofVirtual().name("oidc-jwks").start(issuer::fetchFirst);
        return issuer;
    }

    private void fetchFirst() {
        try {
            var found = keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
            LOG.log(
                    Level.INFO,
                    "OIDC: accepting JWTs of issuer " + settings.issuer() + ", " + found.size() + " key(s) from "
                            + where);
        } catch (KeySourceException e) {
            LOG.log(
                    Level.WARNING,
                    "OIDC: cannot fetch the keys of issuer " + settings.issuer() + " from " + where + " ("
                            + e.getMessage()
                            + "); its tokens are refused until they can be fetched. Check --oidc-jwks");
        }
    }

    /** What the issuer's tokens are checked against. */
    public OidcSettings settings() {
        return settings;
    }

    /** What to say of a token whose claim grants no flowhost scope. */
    String noScopeHint() {
        var p = settings.scopePrefix();
        return "its '" + settings.scopeClaim() + "' claim names none of " + p + "admin, " + p + "deploy, " + p
                + "read, " + p + "invoke:SERVICE";
    }

    /**
     * Who the JWT's bearer is, or {@link UnauthorizedException} saying briefly why it is refused (not a JWT, unsigned,
     * an algorithm refused, a key the issuer does not list, a bad signature, expired, another issuer or audience), or
     * {@link IdentityProviderUnavailableException} when the issuer's keys cannot be fetched. May block on fetching them.
     */
    OidcCaller verify(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw refused("this token is not a JWT this server can read");
        }
        if (jwt instanceof PlainJWT) {
            throw refused("an unsigned JWT (alg none) is not accepted");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw refused("an encrypted JWT is not accepted: send the one the issuer signed");
        }
        var header = signed.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            throw refused("a JWT signed with " + header.getAlgorithm() + " is not accepted (only "
                    + ALGORITHMS.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(", ")) + ")");
        }
        if (header.getType() != null && !TYPES.contains(header.getType())) {
            throw refused("a JWT of typ '" + header.getType() + "' is not accepted (JWT or at+jwt)");
        }
        try {
            if (keySelector.selectJWSKeys(header, null).isEmpty()) {
                throw unknownKey(header.getKeyID());
            }
            return caller(processor.process(signed, null));
        } catch (RateLimitReachedException e) {
            throw unknownKey(header.getKeyID()); // the keys were fetched moments ago, without this one
        } catch (KeySourceException e) {
            LOG.log(
                    Level.WARNING,
                    "OIDC: cannot fetch the keys of issuer " + settings.issuer() + " from " + where + ": "
                            + e.getMessage());
            throw new IdentityProviderUnavailableException(
                    "the keys of this token's issuer cannot be fetched just now; try again shortly");
        } catch (BadJWSException e) {
            throw refused("this JWT's signature does not verify");
        } catch (ExpiredJWTException e) {
            throw refused(expired(signed));
        } catch (BadJWTException e) {
            throw refused(claimsRefused(signed));
        } catch (BadJOSEException | JOSEException e) {
            throw refused("this JWT is not accepted");
        }
    }

    private static UnauthorizedException refused(String why) {
        return new UnauthorizedException(why);
    }

    private UnauthorizedException unknownKey(String kid) {
        return refused("this JWT is signed by a key its issuer does not list"
                + (kid == null ? "" : " (kid '" + printable(kid, 64) + "')"));
    }

    private String expired(SignedJWT signed) {
        try {
            var exp = signed.getJWTClaimsSet().getExpirationTime();
            return "this JWT expired" + (exp == null ? "" : " at " + exp.toInstant())
                    + ": sign in to the identity provider again for a new one";
        } catch (ParseException e) {
            return "this JWT expired";
        }
    }

    /** Why the claims of a JWT whose signature verified are refused, in words. */
    private String claimsRefused(SignedJWT signed) {
        JWTClaimsSet claims;
        try {
            claims = signed.getJWTClaimsSet();
        } catch (ParseException e) {
            return "this JWT's claims cannot be read";
        }
        var iss = claims.getIssuer();
        if (iss == null) {
            return "this JWT names no issuer (iss)";
        }
        if (!iss.equals(settings.issuer())) {
            return "this JWT was issued by '" + printable(iss, 200) + "', not by the issuer this server trusts";
        }
        var aud = settings.audience();
        if (aud != null
                && (claims.getAudience() == null || !claims.getAudience().contains(aud))) {
            return "this JWT is not meant for this server: its audience (aud) "
                    + (claims.getAudience() == null || claims.getAudience().isEmpty()
                            ? "is missing"
                            : printable(claims.getAudience().toString(), 200) + " does not name it");
        }
        if (claims.getExpirationTime() == null) {
            return "this JWT never expires (no exp): only tokens that do are accepted";
        }
        if (claims.getClaim(settings.nameClaim()) == null) {
            return "this JWT has no '" + settings.nameClaim() + "' claim to name its bearer by";
        }
        var nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(clock.instant().plus(CLOCK_SKEW))) {
            return "this JWT is not valid before " + nbf.toInstant();
        }
        return "this JWT's claims are not accepted";
    }

    /** The bearer of a verified JWT: named by its name claim, granted the flowhost scopes of its scope claim. */
    private OidcCaller caller(JWTClaimsSet claims) {
        var name = claims.getClaim(settings.nameClaim());
        if (!(name instanceof String text) || text.isBlank()) {
            throw refused("this JWT's '" + settings.nameClaim() + "' claim is not a name");
        }
        return new OidcCaller(
                "oidc:" + printable(text.strip(), NAME_AT_MOST),
                scopes(claims.getClaim(settings.scopeClaim())),
                claims.getExpirationTime().toInstant());
    }

    /**
     * The flowhost scopes among a claim's entries (a space-separated string, or an array of strings), each read as
     * {@link Scope#parse} reads it after the prefix; entries that are not flowhost scopes ({@code openid},
     * {@code email}, or without the prefix) are left out.
     */
    Set<Scope> scopes(Object claim) {
        List<String> entries = switch (claim) {
            case String text -> List.of(text.strip().split("\\s+"));
            case Collection<?> many ->
                many.stream()
                        .filter(String.class::isInstance)
                        .map(String.class::cast)
                        .toList();
            case null, default -> List.of();
        };
        var prefix = settings.scopePrefix();
        var granted = new HashSet<Scope>();
        for (var entry : entries) {
            var text = entry.strip();
            if (!text.regionMatches(true, 0, prefix, 0, prefix.length())) {
                continue;
            }
            try {
                granted.add(Scope.parse(text.substring(prefix.length())));
            } catch (IllegalArgumentException notOurs) {
                // another application's scope, or OIDC's own (openid, email, profile)
            }
        }
        return granted;
    }

    /** The text as it may go into a header, a log line or a metric's label: visible ASCII, no longer than at most. */
    private static String printable(String text, int atMost) {
        var out = new StringBuilder(Math.min(text.length(), atMost));
        for (int i = 0; i < text.length() && out.length() < atMost; i++) {
            char c = text.charAt(i);
            out.append(c > ' ' && c < 0x7f ? c : '_');
        }
        return out.toString();
    }

    @Override
    public void close() {
        if (keys instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "OIDC: closing the key source", e);
            }
        }
    }

    /** For a log line: the issuer and where its keys are. */
    @Override
    public String toString() {
        return settings.issuer() + " (keys from " + where + ")";
    }

    /** Says at startup what these settings leave open that they need not. */
    private static void warnAbout(OidcSettings settings) {
        if (settings.audience() == null && settings.scopePrefix().isEmpty()) {
            LOG.log(
                    Level.WARNING,
                    "OIDC: no --oidc-audience and no --oidc-scope-prefix: a token issuer " + settings.issuer()
                            + " made for another application is accepted here too, with whatever flowhost scopes"
                            + " its '" + settings.scopeClaim() + "' claim names (an 'admin' there is admin here)."
                            + " Give --oidc-audience (the aud the issuer puts in tokens for flowhost)");
        }
        var host = settings.jwks().getHost();
        boolean loopback =
                host != null && (host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]"));
        if ("http".equalsIgnoreCase(settings.jwks().getScheme()) && !loopback) {
            LOG.log(
                    Level.WARNING,
                    "OIDC: the issuer's keys come over plain http from " + settings.jwks() + ": whoever can change"
                            + " them on the way can sign tokens this server accepts. Use its https:// URL");
        }
    }
}
