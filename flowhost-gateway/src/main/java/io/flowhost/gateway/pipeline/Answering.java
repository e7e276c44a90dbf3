package io.flowhost.gateway.pipeline;

import io.flowhost.gateway.Call;
import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.Problems;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a failed call into its problem+json answer ({@link Problems}), so that the stages around it see
 * every call answered with a status, as the caller will.
 */
public final class Answering implements CallHandler {

    private final CallHandler next;

    public Answering(CallHandler next) {
        this.next = next;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(Call call) {
        CompletableFuture<FullHttpResponse> answer;
        try {
            answer = next.handle(call);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionally(failure -> Responses.problem(Problems.of(failure, call.requestId())));
    }
}
