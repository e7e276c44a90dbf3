package io.flowhost.wire.netty;

import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/** Writes complete HTTP responses, keeping or closing the connection as the request asked. */
public final class Responses {

    public static final AsciiString JSON = AsciiString.cached("application/json");
    public static final AsciiString PROBLEM_JSON = AsciiString.cached(Problem.MEDIA_TYPE);
    public static final AsciiString REQUEST_ID = AsciiString.cached(Wire.REQUEST_ID);

    private Responses() {}

    /** Sends a JSON body with the given status. */
    public static void json(ChannelHandlerContext ctx, int status, ByteBuf body, String requestId, boolean keepAlive) {
        send(ctx, status, JSON, body, requestId, keepAlive);
    }

    /** Sends a problem+json body with the problem's status. */
    public static void problem(ChannelHandlerContext ctx, Problem problem, boolean keepAlive) {
        var response =
                response(problem.status(), PROBLEM_JSON, Unpooled.wrappedBuffer(problem.toJson()), problem.requestId());
        write(ctx, response, keepAlive);
    }

    /** Builds a response without sending it. */
    public static FullHttpResponse response(int status, CharSequence contentType, ByteBuf body, String requestId) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
        var headers = response.headers();
        if (body.isReadable() || status != 204) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        if (requestId != null) {
            headers.set(REQUEST_ID, requestId);
        }
        return response;
    }

    /** Sends the response and closes the connection afterwards unless it is kept alive. */
    public static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static void send(
            ChannelHandlerContext ctx,
            int status,
            CharSequence type,
            ByteBuf body,
            String requestId,
            boolean keepAlive) {
        write(ctx, response(status, type, body, requestId), keepAlive);
    }
}
