package io.flowhost.server.http;

import io.flowhost.gateway.pipeline.CallHandler;
import io.flowhost.wire.netty.LimitedAggregator;
import io.flowhost.wire.netty.SpooledUploads;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What every caller's pipeline ends with, whatever its protocol: the idle timeout, the body limits and the edge
 * that answers; made anew for each HTTP/1.1 connection and each HTTP/2 stream.
 */
record EdgeParts(Limits limits, Path uploadDir, CallHandler calls, ManagementRoutes management, ManagementGuard guard) {

    /** Jars are posted to this path, and have a limit of their own. */
    private static final String DEPLOYMENTS = "/v1/deployments";

    /** Fires when a connection has neither read nor written for the keep-alive timeout. */
    IdleStateHandler idle() {
        return new IdleStateHandler(0, 0, limits.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Writes a jar posted to deploy to a file under {@code uploadDir} as it comes, up to the jar limit, once its head
     * shows a caller who may deploy (the same checks as every management request's, before the body is read).
     */
    SpooledUploads uploads() {
        return new SpooledUploads(uploadDir, limits.maxJar(), EdgeParts::isJar, (head, channel) -> {
            guard.check(head.headers(), ((InetSocketAddress) channel.localAddress()).getPort());
            return management.admitUpload(head, channel.remoteAddress());
        });
    }

    /** Collects any other request up to the body limit. */
    LimitedAggregator aggregator() {
        return new LimitedAggregator(limits.maxBody());
    }

    /**
     * A deploy of a jar: {@code POST /v1/deployments} with any body but JSON (a model's deploy), so that a jar sent
     * with the wrong type is still told so by the deploy rather than refused for its size.
     */
    static boolean isJar(HttpRequest request) {
        // asked of every request, calls included: the path's first characters settle it for nearly all
        var uri = request.uri();
        if (!uri.startsWith(DEPLOYMENTS)
                || (uri.length() > DEPLOYMENTS.length() && uri.charAt(DEPLOYMENTS.length()) != '?')
                || !request.method().equals(HttpMethod.POST)) {
            return false;
        }
        var type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type == null || !type.strip().toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    /** Answers requests in order: calls through the gateway's pipeline, the rest through management. */
    EdgeHandler edge() {
        return new EdgeHandler(calls, management, guard, limits.maxPipelinedBytes());
    }
}
