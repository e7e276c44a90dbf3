package io.flowhost.gateway;

import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/** Sends a checked call to an instance of its target and relays the answer. */
@FunctionalInterface
public interface Forwarder {

    /**
     * The instance's answer, untouched; or a failure saying why there is none ({@code NotReadyException},
     * {@code InstanceFailedException}, {@code InstanceTimeoutException}). Takes ownership of the request.
     */
    CompletableFuture<FullHttpResponse> forward(Call call);
}
