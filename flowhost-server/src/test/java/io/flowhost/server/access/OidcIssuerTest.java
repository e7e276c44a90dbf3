package io.flowhost.server.access;

import static io.flowhost.server.access.TestIssuer.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import io.flowhost.domain.access.Scope;
import io.flowhost.wire.protocol.IdentityProviderUnavailableException;
import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.UnauthorizedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWTs of a real identity provider's keys (made and signed here with nimbus), checked against its JWKS as served over
 * HTTP on loopback and as kept in a file, with the clock in the test's hands.
 */
class OidcIssuerTest {

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    private static TestIssuer idp;

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(T);
    private OidcIssuer issuer;

    @BeforeAll
    static void keys() {
        idp = new TestIssuer();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @AfterEach
    void close() {
        if (issuer != null) {
            issuer.close();
        }
    }

    private OidcIssuer overHttp(OidcSettings settings) {
        issuer = OidcIssuer.open(settings, now::get);
        return issuer;
    }

    private static OidcSettings settings() {
        return OidcSettings.of(TestIssuer.ISSUER, idp.jwksUrl()).withAudience("flowhost");
    }

    @Test
    void aTokenOfTheIssuerNamesItsBearerAndGrantsTheFlowhostScopesOfItsClaim() {
        var verifier = overHttp(settings());

        var caller = verifier.verify(idp.token(claims("alice", "openid email deploy invoke:echo", T)));

        assertThat(caller.name()).isEqualTo("oidc:alice");
        assertThat(caller.scopes()).containsExactlyInAnyOrder(Scope.DEPLOY, Scope.invoke("echo"));
        assertThat(caller.expiresAt()).isEqualTo(T.plusSeconds(600));
        assertThat(caller.grants(Scope.READ)).isTrue();
        assertThat(caller.grants(Scope.ADMIN)).isFalse();
    }

    @Test
    void anIssuerWhoseKeysCannotBeFetchedIsUnavailableNotTheCallersFault() throws IOException {
        int closed;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort(); // nothing listens there once it is closed
        }
        var verifier = overHttp(OidcSettings.of(TestIssuer.ISSUER, URI.create("http://127.0.0.1:" + closed + "/jwks")));

        assertThatThrownBy(() -> verifier.verify(idp.token(claims("alice", "deploy", T))))
                .isInstanceOf(IdentityProviderUnavailableException.class)
                .hasMessage("the keys of this token's issuer cannot be fetched just now; try again shortly");
        var problem =
                Problems.of(new IdentityProviderUnavailableException("the issuer's keys cannot be fetched"), "req-1");
        assertThat(problem.status()).isEqualTo(503);
        assertThat(problem.retryAfterSeconds()).isPositive();
    }

    @Test
    void anEcSignedTokenVerifiesAgainstItsKeyInAFile() {
        var file = idp.writeJwks(dir.resolve("jwks.json"));
        issuer = OidcIssuer.open(
                OidcSettings.of(TestIssuer.ISSUER, OidcSettings.jwksLocation(file.toString())), now::get);

        var caller = issuer.verify(idp.ecToken(claims("ci-bot", "read", T)));

        assertThat(caller.name()).isEqualTo("oidc:ci-bot");
        assertThat(caller.scopes()).containsExactly(Scope.READ);
    }

    @Test
    void theScopesMayBeAnArrayInAnotherClaimAndAPrefixLeavesOutEveryEntryWithoutIt() {
        var verifier = overHttp(settings().withScopes("roles", "flowhost:").withNameClaim("preferred_username"));

        var caller = verifier.verify(idp.token(claims("f81d4fae", "openid", T)
                .claim("preferred_username", "alice\r\nX-Forged: 1")
                .claim("roles", List.of("flowhost:admin", "deploy", "other:read", "flowhost:invoke:iris", 7))));

        assertThat(caller.scopes()).containsExactlyInAnyOrder(Scope.ADMIN, Scope.invoke("iris"));
        assertThat(caller.name())
                .as("a name goes into a header and a metric's label: printable ASCII only")
                .isEqualTo("oidc:alice__X-Forged:_1");
        assertThat(verifier.scopes("invoke:Echo flowhost:write")).isEmpty();
        assertThat(verifier.scopes(Set.of())).isEmpty();
    }

    @Test
    void anExpiredTokenIsRefusedSayingWhenOnceTheClockSkewIsPast() {
        var verifier = overHttp(settings());
        var token = idp.token(claims("alice", "read", T.minusSeconds(600)).expirationTime(Date.from(T)));

        now.set(T.plusSeconds(59));
        assertThat(verifier.verify(token).name()).as("within a minute's skew").isEqualTo("oidc:alice");
        now.set(T.plusSeconds(61));

        assertThatThrownBy(() -> verifier.verify(token))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("this JWT expired at 2026-12-05T10:00:00Z: sign in to the identity provider again for a"
                        + " new one");
    }

    @Test
    void aTokenOfAnotherIssuerOrForAnotherAudienceIsRefused() {
        var verifier = overHttp(settings());

        assertThatThrownBy(() ->
                        verifier.verify(idp.token(claims("alice", "admin", T).issuer("https://evil.test"))))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("this JWT was issued by 'https://evil.test', not by the issuer this server trusts");
        assertThatThrownBy(() ->
                        verifier.verify(idp.token(claims("alice", "admin", T).audience("grafana"))))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("this JWT is not meant for this server: its audience (aud) [grafana] does not name it");
        assertThatThrownBy(() ->
                        verifier.verify(idp.token(claims("alice", "admin", T).audience((String) null))))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("its audience (aud) is missing");
    }

    @Test
    void withoutAnAudienceAskedForAnyAudienceIsAccepted() {
        var verifier = overHttp(OidcSettings.of(TestIssuer.ISSUER, idp.jwksUrl()));

        assertThat(verifier.verify(idp.token(claims("alice", "read", T).audience("grafana")))
                        .name())
                .isEqualTo("oidc:alice");
    }

    @Test
    void aTokenSignedByAKeyTheIssuerDoesNotListOrForgedWithOneOfItsKidsIsRefused() {
        var verifier = overHttp(settings());

        assertThatThrownBy(() -> verifier.verify(idp.strangerToken("rsa-2", claims("alice", "admin", T))))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("this JWT is signed by a key its issuer does not list (kid 'rsa-2')");
        assertThatThrownBy(() -> verifier.verify(idp.strangerToken("rsa-1", claims("alice", "admin", T))))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("this JWT's signature does not verify");
    }

    @Test
    void unsignedHmacAndMalformedTokensAreRefusedSayingWhich() {
        var verifier = overHttp(settings());

        assertThatThrownBy(() -> verifier.verify(TestIssuer.unsignedToken(claims("alice", "admin", T))))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("an unsigned JWT (alg none) is not accepted");
        assertThatThrownBy(() -> verifier.verify(TestIssuer.hmacToken(claims("alice", "admin", T))))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageStartingWith("a JWT signed with HS256 is not accepted (only RS256, RS384, RS512, PS256");
        assertThatThrownBy(() -> verifier.verify("abc.def.ghi"))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("this token is not a JWT this server can read");
        assertThatThrownBy(() -> verifier.verify("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln"))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("this JWT's claims cannot be read");
        assertThatThrownBy(() -> verifier.verify(
                        idp.token(h -> h.type(new JOSEObjectType("id+jwt")), claims("alice", "admin", T))))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("a JWT of typ 'id+jwt' is not accepted (JWT or at+jwt)");
    }

    @Test
    void oddHeadersAndPayloadsAreRefusedWith401AndNothingElse() {
        var verifier = overHttp(settings());
        var payload = b64(claims("alice", "admin", T).build().toString());
        var odd = List.of(
                b64("{}") + "." + payload + ".c2ln",
                b64("{\"alg\":\"RS256\",\"kid\":5}") + "." + payload + ".c2ln",
                b64("{\"alg\":\"RS256\",\"crit\":[\"exp\"]}") + "." + payload + ".c2ln",
                b64("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}") + "." + b64("[1]") + ".c2ln",
                b64("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}") + "." + payload + ".",
                b64("{\"alg\":\"ES256\",\"kid\":\"ec-1\"}") + "." + payload + ".AAAA",
                b64("{\"alg\":\"RS256\",\"jku\":\"http://127.0.0.1:1/keys\"}") + "." + payload + ".c2ln",
                b64("{\"alg\":\"none\"}") + "." + payload + ".c2ln");

        for (var token : odd) {
            assertThatThrownBy(() -> verifier.verify(token)).as(token).isInstanceOf(UnauthorizedException.class);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTokenWithoutItsNameClaimOrAnExpiryIsRefused() {
        var verifier = overHttp(settings());

        assertThatThrownBy(() -> verifier.verify(idp.token(claims(null, "read", T))))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("this JWT has no 'sub' claim to name its bearer by");
        assertThatThrownBy(() ->
                        verifier.verify(idp.token(claims("alice", "read", T).expirationTime(null))))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("this JWT never expires (no exp): only tokens that do are accepted");
    }

    @Test
    void keysAtAUrlAreFetchedOnceAndAgainWhenTheIssuerRotatesToAKeyTheyLack() {
        try (var own = new TestIssuer()) {
            var verifier = overHttp(OidcSettings.of(TestIssuer.ISSUER, own.jwksUrl()));
            verifier.verify(own.token(claims("alice", "read", T)));
            verifier.verify(own.ecToken(claims("bob", "read", T)));
            verifier.verify(own.token(claims("carol", "read", T)));
            assertThat(own.fetches()).as("fetched once, then cached").isEqualTo(1);

            own.rotateToStranger();
            var caller = verifier.verify(own.strangerToken("rsa-2", claims("alice", "read", T)));

            assertThat(caller.name()).isEqualTo("oidc:alice");
            assertThat(own.fetches()).as("fetched again for the key it lacked").isEqualTo(2);
            assertThatThrownBy(() -> verifier.verify(own.strangerToken("rsa-3", claims("alice", "read", T))))
                    .as("a key it lacks again, within 30 s: not fetched again, refused")
                    .hasMessage("this JWT is signed by a key its issuer does not list (kid 'rsa-3')");
            assertThat(own.fetches()).isEqualTo(2);
        }
    }

    @Test
    void aJwksFileReplacedWithAnotherKeyIsReadAgain() throws Exception {
        var file = idp.writeJwks(dir.resolve("jwks.json"));
        issuer = OidcIssuer.open(
                OidcSettings.of(TestIssuer.ISSUER, OidcSettings.jwksLocation(file.toString())), now::get);
        var old = idp.token(claims("alice", "read", T));
        var rotated = idp.strangerToken("rsa-2", claims("alice", "read", T));
        assertThat(issuer.verify(old).name()).isEqualTo("oidc:alice");
        assertThatThrownBy(() -> issuer.verify(rotated)).isInstanceOf(UnauthorizedException.class);

        idp.writeStrangerJwks(file); // in place, as an editor would

        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptionsInstanceOf(UnauthorizedException.class)
                .until(() -> issuer.verify(rotated).name().equals("oidc:alice"));
        assertThatThrownBy(() -> issuer.verify(old))
                .as("the key the file no longer holds")
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("does not list");
    }

    @Test
    void aJwksFileThatCannotBeReadStopsItAtStartSayingWhatToGive() throws Exception {
        var missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> OidcIssuer.open(
                        OidcSettings.of(TestIssuer.ISSUER, OidcSettings.jwksLocation(missing.toString())), now::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("oidc-jwks: cannot read " + missing)
                .hasMessageContaining("{\"keys\": [...]}");
        var garbage = Files.writeString(dir.resolve("garbage.json"), "{\"kid\": 1}");
        assertThatThrownBy(() -> OidcIssuer.open(
                        OidcSettings.of(TestIssuer.ISSUER, OidcSettings.jwksLocation(garbage.toString())), now::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a JWKS");
    }

    @Test
    void settingsSayWhatTheyExpect() {
        assertThatThrownBy(() -> OidcSettings.of(" ", idp.jwksUrl()))
                .hasMessageStartingWith("oidc-issuer: ' ' (expected: the issuer's identifier");
        assertThatThrownBy(() -> OidcSettings.of(TestIssuer.ISSUER, null)).hasMessageStartingWith("oidc-jwks: missing");
        assertThatThrownBy(() -> OidcSettings.of(TestIssuer.ISSUER, OidcSettings.jwksLocation("ftp://idp/certs")))
                .hasMessageContaining("expected: a file, or an https:// URL");
        assertThatThrownBy(() -> settings().withScopes("scope", "flow host:"))
                .hasMessageStartingWith("oidc-scope-prefix: 'flow host:'");
        assertThat(OidcSettings.jwksLocation("keys/jwks.json").getScheme()).isEqualTo("file");
        assertThat(settings().scopeClaim()).isEqualTo("scope");
        assertThat(settings().nameClaim()).isEqualTo("sub");
    }
}
