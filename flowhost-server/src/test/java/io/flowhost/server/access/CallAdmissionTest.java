package io.flowhost.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.flowhost.domain.access.Rate;
import io.flowhost.domain.access.RateLimitedException;
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
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calls to deployments that guard them, against tokens in a real SQLite store, with the clocks in the test's hands. */
class CallAdmissionTest {

    private static final Instant T = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(T);
    private final AtomicLong nanos = new AtomicLong();
    private final List<String> counted = new ArrayList<>();
    private final List<AuditEvent> audited = new CopyOnWriteArrayList<>();
    private SqliteStateStore store;
    private CallAdmission admission;

    @BeforeEach
    void open() {
        store = SqliteStateStore.open(dir);
        var quotas = new Quotas(nanos::get, new Quotas.Counts() {
            @Override
            public synchronized void tokenCall(String name, boolean limited) {
                counted.add(name + (limited ? " limited" : " admitted"));
            }

            @Override
            public synchronized void serviceLimited(String service) {
                counted.add(service + " limited");
            }
        });
        admission = new Guard(store.tokens(), true, now::get, quotas, audited::add, null).calls();
    }

    @AfterEach
    void close() {
        admission.close();
        store.close();
    }

    private String token(String name, Scope scope, Instant expiresAt, Rate rate) {
        var issued = TokenSecrets.issue(name, scope, T, expiresAt);
        store.tokens().add(issued.kept().withRate(rate));
        return issued.token();
    }

    private static Call call(String token) {
        var request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/services/iris/predict", Unpooled.buffer(0));
        if (token != null) {
            request.headers().set("Authorization", "Bearer " + token);
        }
        var call = Call.incoming(request, CallPath.parse(request.uri()), "req-1", null);
        call.source(new InetSocketAddress("10.0.0.7", 51234));
        return call;
    }

    private static Deployment iris(Access access) {
        return TestDeployments.iris(access, T);
    }

    private static final Deployment LOCKED = iris(new Access(true, null));

    /** Admits the call, waiting for a look-up if there is one; throws what refused it. */
    private Admitted admit(Call call, Deployment deployment) throws Exception {
        CompletableFuture<Void> answer;
        answer = admission.admit(call, deployment);
        boolean atOnce = answer == Admission.ADMITTED;
        try {
            answer.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
        return new Admitted(atOnce);
    }

    private record Admitted(boolean atOnce) {}

    @Test
    void aCallWithoutATokenIsToldWhichScopeItNeedsEvenBeforeAnyTokenExists() {
        assertThatThrownBy(() -> admit(call(null), LOCKED))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("calling 'iris' takes a token with scope invoke:iris")
                .hasMessageContaining("flowhost tokens create --scope invoke:iris");
        assertThatThrownBy(() -> admit(call("fh_guessed"), LOCKED))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("not one this server accepts");
        assertThat(audited)
                .extracting(AuditEvent::actor, AuditEvent::result, AuditEvent::status)
                .containsExactly(tuple(null, "refused", 401), tuple(null, "refused", 401));
    }

    @Test
    void anInvokeTokenForTheServiceIsLetByAndStaysAtTheGatewayAsItsNameOnly() throws Exception {
        var caller = token("iris-app", Scope.invoke("iris"), null, null);

        var first = call(caller);
        assertThat(admit(first, LOCKED).atOnce())
                .as("the first time, the store is asked")
                .isFalse();
        assertThat(first.request().headers().contains("Authorization")).isFalse();
        assertThat(first.request().headers().get(Wire.CALLER)).isEqualTo("iris-app");

        assertThat(admit(call(caller), LOCKED).atOnce())
                .as("within a second, on the event loop")
                .isTrue();
        assertThat(counted).containsExactly("iris-app admitted", "iris-app admitted");
    }

    @Test
    void anAdminMayCallAndATokenForAnotherServiceOrToDeployMayNot() throws Exception {
        var admin = token("root", Scope.ADMIN, null, null);
        var other = token("echo-app", Scope.invoke("echo"), null, null);
        var deployer = token("ci", Scope.DEPLOY, null, null);

        admit(call(admin), LOCKED);
        assertThatThrownBy(() -> admit(call(other), LOCKED))
                .isInstanceOf(ForbiddenException.class)
                .hasMessage("token 'echo-app' has scope invoke:echo; this needs invoke:iris (or admin)");
        assertThatThrownBy(() -> admit(call(deployer), LOCKED)).isInstanceOf(ForbiddenException.class);
        assertThat(audited)
                .extracting(AuditEvent::actor, AuditEvent::action, AuditEvent::target, AuditEvent::status)
                .containsExactly(tuple("echo-app", "call", "iris", 403), tuple("ci", "call", "iris", 403));
        assertThat(audited.getFirst().source()).isEqualTo("10.0.0.7");
    }

    @Test
    void anExpiredTokenIsRefusedSayingWhen() {
        var caller = token("old", Scope.invoke("iris"), T.plusSeconds(60), null);
        now.set(T.plusSeconds(61));

        assertThatThrownBy(() -> admit(call(caller), LOCKED))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("token 'old' expired at 2026-12-05T10:01:00Z");
    }

    @Test
    void aRevokedTokenIsRefusedOnceWhatWasBelievedOfItIsASecondOld() throws Exception {
        var caller = token("gone", Scope.invoke("iris"), null, null);
        admit(call(caller), LOCKED);

        store.tokens().revoke("gone");
        admit(call(caller), LOCKED); // still believed, within the second
        now.set(T.plus(TokenCache.REMEMBER).plusMillis(1));

        assertThatThrownBy(() -> admit(call(caller), LOCKED)).isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void aTokensQuotaLetsItsBurstByThenRefusesUntilTheBucketRefills() throws Exception {
        var caller = token("batch", Scope.invoke("iris"), null, new Rate(2, 2));
        admit(call(caller), LOCKED);
        admit(call(caller), LOCKED);

        assertThatThrownBy(() -> admit(call(caller), LOCKED))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.policy()).isEqualTo("token-batch");
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                })
                .hasMessageStartingWith("token 'batch' is past its quota of 2/s burst 2");
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        admit(call(caller), LOCKED);
        assertThat(counted).containsExactly("batch admitted", "batch admitted", "batch limited", "batch admitted");
    }

    @Test
    void aServicesQuotaCountsEveryCallerAndNeedsNoToken() throws Exception {
        var limited = iris(new Access(false, new Rate(1, 3)));
        for (int i = 0; i < 3; i++) {
            assertThat(admit(call(null), limited).atOnce()).isTrue();
        }

        assertThatThrownBy(() -> admit(call(null), limited))
                .isInstanceOfSatisfying(
                        RateLimitedException.class, e -> assertThat(e.policy()).isEqualTo("service-iris"));
        assertThat(counted).containsExactly("iris limited");
    }
}
