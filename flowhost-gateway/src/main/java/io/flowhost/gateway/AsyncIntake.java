package io.flowhost.gateway;

import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/** Where the gateway hands calls that ask to be answered later ({@code Prefer: respond-async}). */
@FunctionalInterface
public interface AsyncIntake {

    /**
     * Accepts the checked call into the durable queue: 202 with its Location once committed, or a failure
     * ({@code QueueFullException} when the deployment's queue is full). Takes ownership of the request.
     */
    CompletableFuture<FullHttpResponse> accept(Call call);
}
