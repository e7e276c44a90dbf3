package io.flowhost.wire.netty;

import io.flowhost.wire.protocol.Problem;
import io.flowhost.wire.protocol.Quota;
import io.flowhost.wire.protocol.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/** Builds complete HTTP responses; the one place a {@link Problem} becomes one. */
public final class Responses {

    public static final AsciiString JSON = AsciiString.cached("application/json");
    public static final AsciiString PROBLEM_JSON = AsciiString.cached(Problem.MEDIA_TYPE);
    public static final AsciiString REQUEST_ID = AsciiString.cached(Wire.REQUEST_ID);
    private static final AsciiString RATE_LIMIT_POLICY = AsciiString.cached("RateLimit-Policy");
    private static final AsciiString RATE_LIMIT = AsciiString.cached("RateLimit");

    private Responses() {}

    /** A response with this status, body and content type, carrying the request id. */
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

    /**
     * The problem as {@code application/problem+json} with its status; with {@code Allow} for a 405, and
     * {@code Retry-After} wherever the status promises a retry (429, 503), and the quota's {@code RateLimit-Policy}
     * and {@code RateLimit} fields for a call past one.
     */
    public static FullHttpResponse problem(Problem problem) {
        var response =
                response(problem.status(), PROBLEM_JSON, Unpooled.wrappedBuffer(problem.toJson()), problem.requestId());
        if (problem.status() == 405 && problem.extensions().get("allow") instanceof String allow) {
            response.headers().set(HttpHeaderNames.ALLOW, allow);
        }
        if (problem.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        if (problem.extensions().get("quota") instanceof Quota quota) {
            response.headers().set(RATE_LIMIT_POLICY, quota.policyField());
            response.headers().set(RATE_LIMIT, quota.limitField());
        }
        int retryAfter = problem.retryAfterSeconds();
        if (retryAfter >= 0) {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        return response;
    }
}
