package io.flowhost.gateway.pipeline;

import io.flowhost.domain.service.EndpointRules;
import io.flowhost.domain.service.UnknownEndpointException;
import io.flowhost.domain.service.UnknownModelException;
import io.flowhost.domain.service.UnknownServiceException;
import io.flowhost.gateway.AsyncIntake;
import io.flowhost.gateway.Call;
import io.flowhost.gateway.Forwarder;
import io.flowhost.gateway.Route;
import io.flowhost.gateway.RouteTable;
import io.flowhost.gateway.Routing;
import io.flowhost.gateway.Target;
import io.flowhost.gateway.shadow.Shadowing;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.concurrent.CompletableFuture;

/**
 * Checks a call once and sends it on: its service is deployed, its endpoint exists and takes this method,
 * body and mode (the rules an instance applies too, so a call that would be refused there is refused here,
 * before it wakes anything), and a deployment that guards its calls lets it by (its token, its quotas); then a
 * queued call goes to the intake and any other to an instance. A refused call fails with the exception that says
 * why.
 */
public final class Checking implements CallHandler {

    private final RouteTable routes;
    private final Forwarder forwarder;
    private final AsyncIntake intake;
    private final Admission admission;
    private final Shadowing shadowing;

    public Checking(
            RouteTable routes, Forwarder forwarder, AsyncIntake intake, Admission admission, Shadowing shadowing) {
        this.shadowing = shadowing;
        this.routes = routes;
        this.forwarder = forwarder;
        this.intake = intake;
        this.admission = admission;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(Call call) {
        try {
            check(call);
        } catch (RuntimeException refused) {
            return refuse(call, refused);
        }
        var deployment = call.target().route().deployment();
        if (!deployment.access().guarded() || call.mode() == Call.Mode.ASYNC_RUN) { // a queued call was admitted
            return send(call);
        }
        CompletableFuture<Void> admitted;
        try {
            admitted = admission.admit(call, deployment);
        } catch (RuntimeException refused) {
            return refuse(call, refused);
        }
        if (admitted == Admission.ADMITTED) {
            return send(call);
        }
        return admitted.handleAsync((ok, refused) -> refused == null ? send(call) : refuse(call, refused), call.loop())
                .thenCompose(answer -> answer);
    }

    private CompletableFuture<FullHttpResponse> send(Call call) {
        call.target().route().traffic().arrived();
        if (call.mode() == Call.Mode.ASYNC) {
            return intake.accept(call);
        }
        return call.shadow() == null ? forwarder.forward(call) : shadowing.forward(call, call.shadow());
    }

    private static CompletableFuture<FullHttpResponse> refuse(Call call, Throwable refused) {
        call.request().release();
        return CompletableFuture.failedFuture(refused);
    }

    /**
     * The version a call goes to: a queued call to the one that accepted it (while it still serves), any other to
     * the primary or, for its share of calls, the canary.
     */
    private static Route route(Call call, Routing routing) {
        if (routing == null) {
            return null;
        }
        if (call.mode() == Call.Mode.ASYNC_RUN && routing.other() != null) {
            var accepted = routing.of(call.deploymentId());
            return accepted == null ? routing.primary() : accepted;
        }
        return routing.pick(call.request().headers());
    }

    private void check(Call call) {
        var path = call.path();
        var routing = routes.routing(path.service());
        var route = route(call, routing);
        if (routing != null && call.mode() == Call.Mode.SYNC && routing.other() != null) {
            call.shadow(routing.shadowFor(call.request().headers()));
        }
        if (path.model()) {
            if (route == null || !route.deployment().servesOnnx()) {
                throw new UnknownModelException(path.service());
            }
            call.target(Target.of(route, path.endpoint())); // its routes' own rules are the instance's to apply
            return;
        }
        if (route == null) {
            throw new UnknownServiceException(path.service());
        }
        call.target(Target.of(route, path.endpoint()));
        var deployment = route.deployment();
        if (deployment.servesOnnx()) {
            throw new UnknownEndpointException("'" + path.service() + "' is an ONNX model served over the Open "
                    + "Inference Protocol: call POST /v2/models/" + path.service() + "/infer");
        }
        var request = call.request();
        var endpoint = EndpointRules.check(
                deployment.descriptor(),
                path.endpoint(),
                request.method().name(),
                request.headers().get(HttpHeaderNames.CONTENT_TYPE));
        if (call.mode() != Call.Mode.ASYNC_RUN) { // a queued call was checked when it was accepted
            EndpointRules.checkMode(path.service(), endpoint, call.mode() == Call.Mode.ASYNC);
        }
    }
}
