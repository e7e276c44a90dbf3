package io.flowhost.server.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
     * Whether a jar's upload may be sent, decided from its head before its body is read, so that a caller who may not
     * deploy cannot fill the disk: completes to let it, fails with the refusal (which it records, as it would have
     * the request's). The request is checked again once it has come whole.
     *
     * @param source the caller's address, for the audit trail
     */
    default CompletionStage<?> admitUpload(HttpRequest head, SocketAddress source) {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * The answer to a request cheap enough to make on the event loop, open to anyone as a call is (a table lookup:
     * a read from RocksDB's cache, microseconds), or null for every other request, which goes to {@link #handle}.
     * Does not take ownership of the request.
     */
    default FullHttpResponse inline(FullHttpRequest request, String requestId) {
        return null;
    }
}
