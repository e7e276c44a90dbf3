package io.flowhost.wire.netty;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectDecoder;
import io.netty.handler.codec.http.HttpServerCodec;

/** The HTTP/1.1 server codec flowhost's servers use. */
public final class ServerCodecs {

    /**
     * Requests the codec may have decoded and not yet seen answered. Netty's default, 128, is less than one read
     * can hold (a 64 KiB read of minimal requests is about 3,600), and past it Netty drops the connection without
     * an answer; {@link InOrderHandler} stops reading far below this, so it is only ever reached within one read.
     */
    static final int MAX_PIPELINE_DEPTH = 4096;

    /**
     * The most header bytes an HTTP/2 request may carry (SETTINGS_MAX_HEADER_LIST_SIZE), as much as the HTTP/1.1
     * codec takes: a request line (whose method and path are pseudo-headers in HTTP/2) and the headers.
     */
    public static final int MAX_HEADER_LIST_SIZE =
            HttpObjectDecoder.DEFAULT_MAX_INITIAL_LINE_LENGTH + HttpObjectDecoder.DEFAULT_MAX_HEADER_SIZE;

    private ServerCodecs() {}

    /** A server codec with Netty's header and line limits and room for what one read may hold. */
    public static HttpServerCodec http() {
        return new HttpServerCodec(new HttpDecoderConfig(), MAX_PIPELINE_DEPTH);
    }
}
