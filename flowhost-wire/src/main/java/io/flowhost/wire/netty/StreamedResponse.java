package io.flowhost.wire.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An answer whose body is not held but relayed, chunk by chunk, after its head: how a streamed answer travels the
 * stages that pass answers on, which see its status and headers and no content. {@link InOrderHandler} writes the head
 * and then has the body relayed to the caller's connection; {@link #relayed()} completes when it ends.
 */
public abstract class StreamedResponse extends DefaultFullHttpResponse {

    private final CompletableFuture<Long> relayed = new CompletableFuture<>();

    protected StreamedResponse(HttpResponseStatus status, HttpHeaders headers) {
        super(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE);
    }

    /** Completes with the bytes of body relayed when the stream ends, however it ends. */
    public final CompletableFuture<Long> relayed() {
        return relayed;
    }

    /** Says the stream ended having relayed {@code bytes}; the first call counts. */
    protected final void ended(long bytes) {
        relayed.complete(bytes);
    }

    /**
     * Relays the body to the caller's connection, on its event loop, after the head has been written there; {@code
     * ended} gets the write of the last chunk. A relay cut short writes what it must to end the stream cleanly.
     */
    protected abstract void relay(ChannelHandlerContext caller, Consumer<ChannelFuture> ended);

    /** The caller can take more again. */
    protected abstract void writabilityChanged();

    /** The caller has gone: stop the producer, drop what is buffered. Also called when nobody relays the answer. */
    protected abstract void callerGone();
}
