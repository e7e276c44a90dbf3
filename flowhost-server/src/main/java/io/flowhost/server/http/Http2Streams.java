package io.flowhost.server.http;

import io.flowhost.wire.netty.HeaderCount;
import io.flowhost.wire.netty.ServerCodecs;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;

/**
 * An HTTP/2 connection as the gateway sees it: each stream a child channel whose pipeline turns its frames into
 * HTTP/1-style messages and then ends as every HTTP/1.1 connection does (body limits, the in-order edge), so that
 * the gateway's pipeline and the management API see the same {@code FullHttpRequest}s whichever protocol came.
 *
 * <p>On the connection: at most {@link #MAX_STREAMS} streams at once (SETTINGS_MAX_CONCURRENT_STREAMS), headers
 * bounded as HTTP/1.1's ({@link ServerCodecs#MAX_HEADER_LIST_SIZE}; Netty answers 431 past it), the header clock
 * until the first stream's headers, and the keep-alive timeout for a connection with no stream open
 * ({@link Http2Edge}). Each stream has its route's body limit; what a connection holds at once is then bounded by
 * the streams' count times that limit, where HTTP/1.1's pipelining is bounded by {@code --max-pipelined-bytes}.
 */
final class Http2Streams {

    /** Streams one connection may have open at once: as many calls in flight as 100 HTTP/1.1 connections. */
    static final int MAX_STREAMS = 100;

    private final EdgeParts parts;
    private final ChannelInitializer<Http2StreamChannel> stream;

    Http2Streams(EdgeParts parts) {
        this.parts = parts;
        this.stream = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline()
                        .addLast(
                                new Http2StreamFrameToHttpObjectCodec(true),
                                EarlyAnswers.END_WITHOUT_ERROR,
                                ExtensionHeaders.REMOVE,
                                HeaderCount.LIMIT,
                                parts.uploads(),
                                parts.aggregator(),
                                parts.edge());
            }
        };
    }

    /** Sets up a connection that negotiated {@code h2}, after its TLS handler. */
    void configure(ChannelPipeline pipeline, HeaderDeadline deadline) {
        var settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_STREAMS)
                .maxHeaderListSize(ServerCodecs.MAX_HEADER_LIST_SIZE);
        var codec = Http2FrameCodecBuilder.forServer().initialSettings(settings).build();
        pipeline.addLast(
                codec, deadline.firstStream(), parts.idle(), new Http2MultiplexHandler(stream), new Http2Edge(codec));
    }

    /**
     * A stream closed once its whole answer is sent while the caller is still sending (a 413 for a body past the
     * limit) is reset with NO_ERROR, as RFC 9113 §8.1 has it, so that the caller stops sending and reads the answer;
     * Netty's default, CANCEL, makes clients drop the answer too.
     */
    @ChannelHandler.Sharable
    private static final class EarlyAnswers extends ChannelOutboundHandlerAdapter {
        static final EarlyAnswers END_WITHOUT_ERROR = new EarlyAnswers();

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            if (ctx.channel() instanceof Http2StreamChannel stream
                    && stream.stream().state() == Http2Stream.State.HALF_CLOSED_LOCAL) {
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.NO_ERROR));
            }
            ctx.close(promise);
        }
    }

    /**
     * Netty's conversion adds {@code x-http2-stream-id} and {@code x-http2-scheme} to each request; they say nothing
     * an instance needs, and would pass for headers the caller sent.
     */
    @ChannelHandler.Sharable
    private static final class ExtensionHeaders extends ChannelInboundHandlerAdapter {
        static final ExtensionHeaders REMOVE = new ExtensionHeaders();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                for (var name : ExtensionHeaderNames.values()) {
                    request.headers().remove(name.text());
                }
            }
            ctx.fireChannelRead(msg);
        }
    }
}
