package io.flowhost.gateway;

import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/** Sends a checked call to an instance of its target and relays the answer. */
public interface Forwarder {

    /**
     * The instance's answer, untouched; or a failure saying why there is none ({@code NotReadyException},
     * {@code InstanceFailedException}, {@code InstanceTimeoutException}). Takes ownership of the request.
     */
    CompletableFuture<FullHttpResponse> forward(Call call);

    /**
     * The instance's answer if one of the target's instances has room now; else null, the request released and the
     * deployment woken if it has no instance. Never holds the call, never tries another instance. Call it on the
     * call's event loop.
     */
    CompletableFuture<FullHttpResponse> tryForward(Call call);
}
