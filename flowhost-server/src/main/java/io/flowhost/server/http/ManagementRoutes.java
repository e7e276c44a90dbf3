package io.flowhost.server.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

/** Everything on the server's port that is not a call to an instance: management, probes, metrics. */
@FunctionalInterface
public interface ManagementRoutes {

    /**
     * The answer, made off the event loop; a failure is a domain exception that the edge turns into its problem.
     * Takes ownership of the request and releases it.
     *
     * @param source the caller's address, for the audit trail
     */
    CompletableFuture<FullHttpResponse> handle(FullHttpRequest request, String requestId, SocketAddress source);

    /**
     * The answer to a request cheap enough to make on the event loop, open to anyone as a call is (a table lookup:
     * a read from RocksDB's cache, microseconds), or null for every other request, which goes to {@link #handle}.
     * Does not take ownership of the request.
     */
    default FullHttpResponse inline(FullHttpRequest request, String requestId) {
        return null;
    }
}
