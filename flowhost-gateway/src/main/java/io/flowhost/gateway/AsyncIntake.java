package io.flowhost.gateway;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/** Where the gateway hands calls that ask to be answered later ({@code Prefer: respond-async}). */
public interface AsyncIntake {

    /** The header the dispatcher marks its own calls with: they are the queued calls being run, never queued again. */
    String DISPATCHED = "X-Flowhost-Dispatched";

    /** The header with which the dispatcher says how long a queued call waited, in milliseconds (for the request log). */
    String QUEUED_MS = "X-Flowhost-Queued-Ms";

    /**
     * Accepts the call into the durable queue: 202 with its Location once committed, 429 when the
     * deployment's queue is full. Takes ownership of the request and releases it.
     */
    CompletableFuture<FullHttpResponse> accept(Route route, String endpoint, FullHttpRequest request, String requestId);
}
