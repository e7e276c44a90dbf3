package io.flowhost.gateway;

import io.flowhost.wire.protocol.StreamFormat;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Sits before the aggregator on a connection to an instance and takes a streamed answer (chunked JSON Lines or
 * Server-Sent Events) past it, head and chunks each wrapped so that the aggregator lets them by: the gateway relays a
 * stream as it comes and never holds it whole. Every other answer is aggregated as before, and so is a stream when
 * the call wants its answer whole (an async run, a shadow's copy).
 */
final class StreamedAnswers extends ChannelInboundHandlerAdapter {

    /** A streamed answer's head. */
    record Head(HttpResponse response, StreamFormat format) {}

    /** One chunk of a streamed answer; the last is a {@link LastHttpContent}. */
    record Chunk(HttpContent content) {}

    private boolean relay = true;
    private boolean passing;

    /** Whether the answer to the call about to be sent is relayed when it streams (rather than aggregated). */
    void relay(boolean streamsRelayed) {
        this.relay = streamsRelayed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (passing) {
            passing = !(msg instanceof LastHttpContent);
            ctx.fireChannelRead(new Chunk((HttpContent) msg));
            return;
        }
        if (relay
                && msg instanceof HttpResponse head
                && !(msg instanceof FullHttpMessage)
                && head.status().codeClass() == HttpStatusClass.SUCCESS
                && HttpUtil.isTransferEncodingChunked(head)) {
            var format = StreamFormat.ofContentType(head.headers().get(HttpHeaderNames.CONTENT_TYPE));
            if (format != null) {
                passing = !(msg instanceof HttpContent); // a head is never content as HttpClientCodec decodes it
                ctx.fireChannelRead(new Head(head, format));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }
}
