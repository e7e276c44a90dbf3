package io.flowhost.server.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * An identity provider for tests: RSA and EC key pairs made here, their public JWKS served over HTTP on loopback
 * (a real server, port 0) and written to a file, and JWTs signed with them as a test asks.
 *
 * <pre>{@code
 * var token = idp.token(c -> c.subject("alice").claim("scope", "deploy").expirationTime(in(10, MINUTES)));
 * }</pre>
 */
public final class TestIssuer implements AutoCloseable {

    /** The {@code iss} of its tokens. */
    public static final String ISSUER = "https://login.example.test/realms/ml";

    private final RSAKey rsa;
    private final ECKey ec;
    private final RSAKey stranger;
    private final AtomicReference<JWKSet> published;
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicReference<Runnable> beforeAnswer = new AtomicReference<>(() -> {});
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer http;

    public TestIssuer() {
        try {
            rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
            ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
            stranger = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
            published = new AtomicReference<>(new JWKSet(List.<JWK>of(rsa, ec)).toPublicJWKSet());
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        http.setExecutor(handlers);
        http.createContext("/certs", exchange -> {
            fetches.incrementAndGet();
            beforeAnswer.get().run();
            var body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
    }

    /** Where it serves its JWKS: {@code http://127.0.0.1:PORT/certs}. */
    public URI jwksUrl() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/certs");
    }

    /** How many times its JWKS was fetched. */
    public int fetches() {
        return fetches.get();
    }

    /** Runs {@code step} before each JWKS answer (a gate a test opens), or nothing given a no-op. */
    public void beforeAnswer(Runnable step) {
        beforeAnswer.set(step);
    }

    /** Serves, from now on, the JWKS of the stranger's key only (a rotation to a key made after the first). */
    public void rotateToStranger() {
        published.set(new JWKSet(stranger).toPublicJWKSet());
    }

    /** Writes its JWKS (the public keys) to {@code file}, replacing it by rename as a deployment would. */
    public Path writeJwks(Path file) {
        return write(file, published.get());
    }

    /** Writes a JWKS of the stranger's key only to {@code file}, in place. */
    public Path writeStrangerJwks(Path file) {
        try {
            Files.writeString(file, new JWKSet(stranger).toPublicJWKSet().toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, JWKSet keys) {
        try {
            var temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "jwks", ".tmp");
            Files.writeString(temporary, keys.toString());
            return Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Claims of its own, for {@code sub}, valid from {@code now} for ten minutes, with these scopes. */
    public static JWTClaimsSet.Builder claims(String sub, String scope, Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(sub)
                .audience("flowhost")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .claim("scope", scope);
    }

    /** A JWT signed RS256 with its RSA key. */
    public String token(JWTClaimsSet.Builder claims) {
        return sign(JWSAlgorithm.RS256, rsa.getKeyID(), claims, rsaSigner(rsa));
    }

    /** A JWT signed ES256 with its EC key. */
    public String ecToken(JWTClaimsSet.Builder claims) {
        try {
            return sign(JWSAlgorithm.ES256, ec.getKeyID(), claims, new ECDSASigner(ec));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWT signed RS256 by a key it does not publish (until {@link #rotateToStranger}), with this kid. */
    public String strangerToken(String kid, JWTClaimsSet.Builder claims) {
        return sign(JWSAlgorithm.RS256, kid, claims, rsaSigner(stranger));
    }

    /** A JWT signed HS256 with a shared secret. */
    public static String hmacToken(JWTClaimsSet.Builder claims) {
        try {
            return sign(
                    JWSAlgorithm.HS256,
                    "rsa-1",
                    claims,
                    new MACSigner(
                            "a shared secret of at least 256 bits, i.e. 32 bytes".getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned JWT ({@code alg: none}). */
    public static String unsignedToken(JWTClaimsSet.Builder claims) {
        return new PlainJWT(claims.build()).serialize();
    }

    /** A JWT with a header changed by {@code header}, signed RS256 with its RSA key. */
    public String token(Consumer<JWSHeader.Builder> header, JWTClaimsSet.Builder claims) {
        var built = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID());
        header.accept(built);
        return sign(built.build(), claims, rsaSigner(rsa));
    }

    private static RSASSASigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSAlgorithm alg, String kid, JWTClaimsSet.Builder claims, JWSSigner signer) {
        return sign(
                new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims, signer);
    }

    private static String sign(JWSHeader header, JWTClaimsSet.Builder claims, JWSSigner signer) {
        var jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        http.stop(0);
        handlers.shutdownNow();
    }
}
