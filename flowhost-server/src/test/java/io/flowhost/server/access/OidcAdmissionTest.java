package io.flowhost.server.access;

import static io.flowhost.server.access.TestIssuer.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.flowhost.domain.access.Scope;
import io.flowhost.domain.access.TokenSecrets;
import io.flowhost.domain.audit.AuditEvent;
import io.flowhost.domain.deployment.Access;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.gateway.Call;
import io.flowhost.gateway.CallPath;
import io.flowhost.gateway.pipeline.Admission;
import io.flowhost.state.sqlite.SqliteStateStore;
import io.flowhost.wire.protocol.ForbiddenException;
import io.flowhost.wire.protocol.UnauthorizedException;
import io.flowhost.wire.protocol.Wire;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard and the admission of calls with an OIDC issuer: JWTs of it allow what their scopes grant, beside
 * flowhost's own tokens; what verifying one concluded is believed for a second, so that a call with a JWT seen in it
 * is decided on the event loop, and any other is verified off it, never fetching keys there.
 */
class OidcAdmissionTest {

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    private static TestIssuer idp;

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(T);
    private final List<String> counted = new ArrayList<>();
    private final List<AuditEvent> audited = new CopyOnWriteArrayList<>();
    private SqliteStateStore store;
    private OidcIssuer issuer;
    private Guard guard;
    private CallAdmission admission;

    @BeforeAll
    static void keys() {
        idp = new TestIssuer();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    /** A guard on loopback (open while no flowhost token exists) with the issuer's keys at its URL. */
    private void open(OidcSettings settings) {
        store = SqliteStateStore.open(dir);
        issuer = OidcIssuer.open(settings, now::get);
        var quotas = new Quotas(System::nanoTime, new Quotas.Counts() {
            @Override
            public synchronized void tokenCall(String name, boolean limited) {
                counted.add(name + (limited ? " limited" : " admitted"));
            }

            @Override
            public void serviceLimited(String service) {}
        });
        guard = new Guard(store.tokens(), true, now::get, quotas, audited::add, issuer);
        admission = guard.calls();
    }

    private void open() {
        open(OidcSettings.of(TestIssuer.ISSUER, idp.jwksUrl()).withAudience("flowhost"));
    }

    @AfterEach
    void close() {
        idp.beforeAnswer(() -> {});
        if (store != null) {
            admission.close();
            issuer.close();
            store.close();
        }
    }

    private static Call call(String token) {
        var request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/services/iris/predict", Unpooled.buffer(0));
        if (token != null) {
            request.headers().set("Authorization", "Bearer " + token);
        }
        return Call.incoming(request, CallPath.parse(request.uri()), "req-1", null);
    }

    private static final Deployment LOCKED = TestDeployments.iris(new Access(true, null), T);

    /** How a call was decided: at once on the loop (let by, or refused by a throw) or later. */
    private record Admitted(boolean atOnce) {}

    private Admitted admit(Call call) throws Exception {
        CompletableFuture<Void> answer = admission.admit(call, LOCKED); // a refusal believed is thrown at once
        try {
            answer.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
        return new Admitted(answer == Admission.ADMITTED);
    }

    @Test
    void withAnIssuerTheManagementApiAsksForATokenEvenOnLoopbackWithNoneOfItsOwn() {
        open();

        assertThatThrownBy(() -> guard.check(null, Scope.READ))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("or send a JWT of " + TestIssuer.ISSUER);
    }

    @Test
    void aJwtMayDoWhatItsScopesGrantAndIsToldWhatItLacks() {
        open();
        var deployer = "Bearer " + idp.token(claims("alice", "openid deploy", T));

        guard.check(deployer, Scope.DEPLOY);
        guard.check(deployer, Scope.READ);
        assertThatThrownBy(() -> guard.check(deployer, Scope.ADMIN))
                .isInstanceOf(ForbiddenException.class)
                .hasMessage("token 'oidc:alice' has scope deploy; this needs admin");
        var nothing = "Bearer " + idp.token(claims("bob", "openid email", T));
        assertThatThrownBy(() -> guard.check(nothing, Scope.READ))
                .isInstanceOf(ForbiddenException.class)
                .hasMessage("token 'oidc:bob' has no flowhost scope (its 'scope' claim names none of admin, deploy,"
                        + " read, invoke:SERVICE); this needs read");
        assertThat(counted).containsExactly("oidc:alice admitted", "oidc:alice admitted");
    }

    @Test
    void flowhostsOwnTokensStillCount() {
        open();
        var issued = TokenSecrets.issue("root", Scope.ADMIN, T, null);
        store.tokens().add(issued.kept());

        guard.check("Bearer " + issued.token(), Scope.ADMIN);
        assertThatThrownBy(() -> guard.check("Bearer fh_guessed", Scope.READ))
                .hasMessageContaining("not one this server accepts");
    }

    @Test
    void aCallWithAnInvokeJwtIsVerifiedOffTheLoopThenDecidedOnItAndStopsAtTheGatewayAsItsName() throws Exception {
        open();
        var caller = idp.token(claims("iris-app", "invoke:iris", T));

        var first = call(caller);
        assertThat(admit(first).atOnce()).as("verified on a virtual thread").isFalse();
        assertThat(first.request().headers().contains("Authorization")).isFalse();
        assertThat(first.request().headers().get(Wire.CALLER)).isEqualTo("oidc:iris-app");

        assertThat(admit(call(caller)).atOnce())
                .as("within a second, on the event loop")
                .isTrue();
        now.set(T.plus(TokenCache.REMEMBER).plusMillis(1));
        assertThat(admit(call(caller)).atOnce())
                .as("a second later, verified again")
                .isFalse();
        assertThat(counted).hasSize(3).containsOnly("oidc:iris-app admitted");
    }

    @Test
    void aJwtForAnotherServiceOrToDeployMayNotCallButAnAdminsMay() throws Exception {
        open();

        admit(call(idp.token(claims("root", "admin", T))));
        assertThatThrownBy(() -> admit(call(idp.token(claims("echo-app", "invoke:echo", T)))))
                .isInstanceOf(ForbiddenException.class)
                .hasMessage("token 'oidc:echo-app' has scope invoke:echo; this needs invoke:iris (or admin)");
        assertThatThrownBy(() -> admit(call(idp.token(claims("ci", "deploy", T)))))
                .isInstanceOf(ForbiddenException.class);
        assertThat(audited)
                .as("each call refused for its JWT is on the audit trail, by the caller's name")
                .extracting(AuditEvent::actor, AuditEvent::status)
                .containsExactly(tuple("oidc:echo-app", 403), tuple("oidc:ci", 403));
    }

    @Test
    void aRefusedJwtIsRefusedOnTheLoopWithinTheSecondAfter() {
        open();
        var forged = call(idp.strangerToken("rsa-1", claims("mallory", "admin", T)));
        var again = call(idp.strangerToken("rsa-1", claims("mallory", "admin", T)));

        assertThatThrownBy(() -> admit(forged))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("this JWT's signature does not verify");
        assertThatThrownBy(() -> admission.admit(again, LOCKED))
                .as("thrown by admit itself: decided on the loop")
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("this JWT's signature does not verify");
        assertThat(audited)
                .as("refused off the loop and then on it: audited both times")
                .extracting(AuditEvent::action, AuditEvent::target, AuditEvent::status)
                .containsExactly(tuple("call", "iris", 401), tuple("call", "iris", 401));
    }

    @Test
    void aJwtThatExpiresWhileBelievedIsRefusedOnTheLoopSayingWhen() throws Exception {
        open();
        // Expired 59 s ago: within the minute of clock skew allowed, for one more second.
        var brief = idp.token(claims("alice", "invoke:iris", T).expirationTime(Date.from(T.minusSeconds(59))));
        admit(call(brief));
        now.set(T.plusSeconds(1));

        assertThatThrownBy(() -> admission.admit(call(brief), LOCKED))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessage("token 'oidc:alice' expired at 2026-12-05T09:59:01Z: sign in to the identity provider"
                        + " again for a new one");
    }

    @Test
    void theEventLoopNeverWaitsForTheIssuersKeys() throws Exception {
        var fetching = new CountDownLatch(1);
        var answer = new CountDownLatch(1);
        idp.beforeAnswer(() -> {
            fetching.countDown();
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        open();
        assertThat(fetching.await(30, TimeUnit.SECONDS))
                .as("the keys are being fetched")
                .isTrue();

        var pending = admission.admit(call(idp.token(claims("iris-app", "invoke:iris", T))), LOCKED);

        assertThat(pending.isDone())
                .as("admit returned while the keys are still on their way")
                .isFalse();
        answer.countDown();
        pending.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aPrefixAndAnotherClaimAreReadAsConfigured() {
        open(OidcSettings.of(TestIssuer.ISSUER, idp.jwksUrl()).withScopes("roles", "flowhost:"));
        var token = "Bearer " + idp.token(claims("alice", "admin", T).claim("roles", List.of("flowhost:read")));

        guard.check(token, Scope.READ);
        assertThatThrownBy(() -> guard.check(token, Scope.DEPLOY))
                .as("'admin' in scope is not read: the scopes are in roles, with the prefix")
                .isInstanceOf(ForbiddenException.class)
                .hasMessage("token 'oidc:alice' has scope read; this needs deploy (or admin)");
    }

    @Test
    void onlyWhatLooksLikeAJwtIsVerified() {
        assertThat(JwtCache.looksLikeJwt("eyJh.eyJz.c2ln")).isTrue();
        assertThat(JwtCache.looksLikeJwt("eyJh.eyJz."))
                .as("unsigned: verified, to be refused saying so")
                .isTrue();
        assertThat(JwtCache.looksLikeJwt("fh_abcdefABCDEF0123456789-_")).isFalse();
        assertThat(JwtCache.looksLikeJwt(".eyJz.c2ln")).isFalse();
        assertThat(JwtCache.looksLikeJwt("a.b.c.d.e")).as("encrypted (JWE)").isFalse();
        assertThat(JwtCache.looksLikeJwt("a.b+/.c")).isFalse();
    }
}
