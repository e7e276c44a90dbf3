package io.flowhost.server.http;

import io.flowhost.gateway.pipeline.CallHandler;
import io.flowhost.wire.netty.LimitedAggregator;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * What every caller's pipeline ends with, whatever its protocol: the idle timeout, the body limits and the edge
 * that answers; made anew for each HTTP/1.1 connection and each HTTP/2 stream.
 */
record EdgeParts(Limits limits, CallHandler calls, ManagementRoutes management, ManagementGuard guard) {

    /** Uploads to this path (service jars) have a limit of their own. */
    private static final String DEPLOYMENTS = "/v1/deployments";

    /** Fires when a connection has neither read nor written for the keep-alive timeout. */
    IdleStateHandler idle() {
        return new IdleStateHandler(0, 0, limits.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Collects a request up to its route's body limit. */
    LimitedAggregator aggregator() {
        return new LimitedAggregator(limits.maxBody(), limits.maxJar(), DEPLOYMENTS);
    }

    /** Answers requests in order: calls through the gateway's pipeline, the rest through management. */
    EdgeHandler edge() {
        return new EdgeHandler(calls, management, guard, limits.maxPipelinedBytes());
    }
}
