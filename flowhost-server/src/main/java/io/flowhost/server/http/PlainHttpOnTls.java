package io.flowhost.server.http;

import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.BadRequestException;
import io.flowhost.wire.protocol.Problems;
import io.flowhost.wire.protocol.RequestIds;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslHandler;
import java.util.List;

/**
 * Looks at a TLS connection's first bytes: a TLS record passes on (and this handler leaves the pipeline); a plain
 * HTTP request gets a 400 problem saying to use {@code https://}, which a caller can read where a TLS alert would
 * only say "wrong version number", and the connection is closed; anything else is closed.
 */
final class PlainHttpOnTls extends ByteToMessageDecoder {

    /** A TLS record header: content type, version, length. */
    private static final int RECORD_HEADER = 5;

    private boolean refused;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < RECORD_HEADER) {
            return;
        }
        if (SslHandler.isEncrypted(in, false)) {
            ctx.pipeline().remove(this); // the bytes read so far go on to the TLS handler
            return;
        }
        refused = true;
        byte first = in.getByte(in.readerIndex());
        in.skipBytes(in.readableBytes());
        if (first < 'A' || first > 'Z') { // not an HTTP method either
            ctx.close();
            return;
        }
        var problem = Problems.of(
                new BadRequestException("this port speaks HTTPS only (TLS): call it with an https:// URL"),
                RequestIds.next());
        var response = Responses.problem(problem);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.pipeline().addBefore(ctx.name(), null, new HttpResponseEncoder());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
