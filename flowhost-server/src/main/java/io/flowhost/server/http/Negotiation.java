package io.flowhost.server.http;

import io.flowhost.wire.netty.HeaderCount;
import io.flowhost.wire.netty.ServerCodecs;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.lang.System.Logger.Level;

/**
 * Once the TLS handshake is done, sets up the protocol the client and server agreed on by ALPN: HTTP/2's pipeline
 * for {@code h2}, else (also for a client that offered neither) the same HTTP/1.1 pipeline as the plain port's.
 */
final class Negotiation extends ApplicationProtocolNegotiationHandler {

    private static final System.Logger LOG = System.getLogger("flowhost.http");

    private final EdgeParts parts;
    private final Http2Streams streams;
    private final HeaderDeadline deadline;

    Negotiation(EdgeParts parts, Http2Streams streams, HeaderDeadline deadline) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.parts = parts;
        this.streams = streams;
        this.deadline = deadline;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (protocol.equals(ApplicationProtocolNames.HTTP_2)) {
            streams.configure(ctx.pipeline(), deadline);
        } else {
            ctx.pipeline()
                    .addLast(
                            ServerCodecs.http(),
                            HeaderCount.LIMIT,
                            deadline.requests(),
                            parts.idle(),
                            parts.uploads(),
                            parts.aggregator(),
                            parts.edge());
        }
    }

    /** A client that does not trust the certificate, or speaks no TLS it shares: its business, not a warning. */
    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, "TLS handshake with " + ctx.channel().remoteAddress() + " failed: " + cause);
        ctx.close();
    }
}
