package io.flowhost.gateway;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/** Everything on the gateway's port that is not an endpoint call: management, probes. */
public interface ManagementRoutes {

    /** Answers the request, off the event loop; takes ownership of the request and releases it. */
    CompletableFuture<FullHttpResponse> handle(FullHttpRequest request, String requestId);
}
