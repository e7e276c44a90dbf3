package io.flowhost.gateway.pipeline;

import io.flowhost.gateway.Call;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/** One stage of the gateway's pipeline: answers a call, now or later, by itself or by passing it on. */
@FunctionalInterface
public interface CallHandler {

    /** The call's answer; takes ownership of its request. */
    CompletableFuture<FullHttpResponse> handle(Call call);
}
