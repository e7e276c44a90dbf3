package io.flowhost.server.access;

import io.flowhost.domain.access.ApiToken;
import io.flowhost.domain.access.Scope;
import io.flowhost.domain.access.TokenSecrets;
import io.flowhost.domain.audit.AuditEvent;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.gateway.Call;
import io.flowhost.gateway.pipeline.Admission;
import io.flowhost.wire.protocol.ForbiddenException;
import io.flowhost.wire.protocol.UnauthorizedException;
import io.flowhost.wire.protocol.Wire;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Lets a call to a guarded deployment by: its token (for a deployment that asks for one) grants
 * {@code invoke:SERVICE}, and neither the token's quota nor the service's is spent. A token the gateway saw in the
 * last second is decided on the event loop; any other is looked up in the store on a virtual thread, and a JWT of
 * the OIDC issuer verified there (fetching the issuer's keys may block; the verdict is believed for a second). The
 * token goes no further than the gateway: the instance is told the token's name in {@value Wire#CALLER}.
 */
public final class CallAdmission implements Admission, AutoCloseable {

    private final TokenCache cache;
    private final JwtCache jwts;
    private final Quotas quotas;
    private final Consumer<AuditEvent> audit;
    private final ExecutorService lookUps = Executors.newVirtualThreadPerTaskExecutor();

    /** @param jwts what verifying JWTs concluded, or null when no issuer's JWTs are accepted */
    CallAdmission(TokenCache cache, JwtCache jwts, Quotas quotas, Consumer<AuditEvent> audit) {
        this.cache = cache;
        this.jwts = jwts;
        this.quotas = quotas;
        this.audit = audit;
    }

    @Override
    public CompletableFuture<Void> admit(Call call, Deployment deployment) {
        try {
            return admitOrRefuse(call, deployment);
        } catch (RuntimeException refused) {
            audit(call, deployment, refused);
            throw refused;
        }
    }

    /** A call turned away for want of the right token goes on the audit trail; one past a quota only counts. */
    private void audit(Call call, Deployment deployment, RuntimeException refused) {
        int status;
        String actor = null;
        if (refused instanceof UnauthorizedException) {
            status = 401;
        } else if (refused instanceof ForbiddenException forbidden) {
            status = 403;
            actor = forbidden.actor();
        } else {
            return;
        }
        audit.accept(new AuditEvent(
                cache.now(),
                actor,
                Addresses.host(call.source()),
                "call",
                deployment.service(),
                "refused",
                status,
                refused.getMessage()));
    }

    private CompletableFuture<Void> admitOrRefuse(Call call, Deployment deployment) {
        if (!deployment.access().tokenRequired()) {
            quotas.take(deployment);
            return ADMITTED;
        }
        var service = deployment.service();
        var authorization = call.request().headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException("calling '" + service + "' takes a token with scope invoke:" + service
                    + ": send 'Authorization: Bearer <token>' (an admin makes one with 'flowhost tokens create"
                    + " --scope invoke:" + service + "'"
                    + (jwts == null
                            ? ""
                            : ", or send a JWT of " + jwts.issuer().settings().issuer() + " that grants it")
                    + ")");
        }
        var bearer = authorization.substring(7).trim();
        var sha256 = TokenSecrets.sha256(bearer);
        var now = cache.now();
        if (jwts != null && JwtCache.looksLikeJwt(bearer)) {
            var verified = jwts.believed(sha256, now); // a refusal believed throws here, on the loop
            if (verified != null) {
                decide(call, deployment, verified, now);
                return ADMITTED;
            }
            return lookUp(call, deployment, () -> decide(call, deployment, jwts.lookUp(bearer, sha256, now), now));
        }
        var believed = cache.believed(sha256, now);
        if (believed != null) {
            decide(call, deployment, sha256, believed, now);
            return ADMITTED;
        }
        return lookUp(call, deployment, () -> decide(call, deployment, sha256, cache.lookUp(sha256, now), now));
    }

    /** Decides off the event loop, where looking up may block; a refusal is audited before the caller hears of it. */
    private CompletableFuture<Void> lookUp(Call call, Deployment deployment, Runnable decision) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        decision.run();
                    } catch (RuntimeException refused) {
                        audit(call, deployment, refused);
                        throw refused;
                    }
                },
                lookUps);
    }

    private void decide(Call call, Deployment deployment, String sha256, Optional<ApiToken> found, Instant now) {
        var token = found.filter(t -> TokenSecrets.hashMatches(sha256, t))
                .orElseThrow(() ->
                        new UnauthorizedException("this token is not one this server accepts (revoked, or mistyped)"));
        if (!token.validAt(now)) {
            throw Guard.expired(token);
        }
        var needed = Scope.invoke(deployment.service());
        if (!token.scope().grants(needed)) {
            throw new ForbiddenException(
                    "token '" + token.name() + "' has scope " + token.scope() + "; this needs " + needed
                            + " (or admin)",
                    token.name());
        }
        quotas.take(token);
        quotas.take(deployment);
        admitted(call, token.name());
    }

    private void decide(Call call, Deployment deployment, OidcCaller caller, Instant now) {
        caller.require(Scope.invoke(deployment.service()), now, jwts.issuer().noScopeHint());
        quotas.take(caller);
        quotas.take(deployment);
        admitted(call, caller.name());
    }

    /** The token stops here: the instance is told only whose it was. */
    private static void admitted(Call call, String caller) {
        var headers = call.request().headers();
        headers.remove(HttpHeaderNames.AUTHORIZATION);
        headers.set(Wire.CALLER, caller);
    }

    @Override
    public void close() {
        lookUps.close();
    }
}
