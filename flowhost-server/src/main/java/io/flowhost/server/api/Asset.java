package io.flowhost.server.api;

import io.flowhost.wire.netty.Responses;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A file the server's pages load (a script, a style sheet, an image), served from the server's own jar.
 *
 * @param resource where it is on the class path
 * @param type its media type
 * @param cacheControl how long a browser may keep it
 */
record Asset(String resource, String type, String cacheControl) {

    static final String JS = "text/javascript; charset=utf-8";
    static final String CSS = "text/css; charset=utf-8";

    /** One of flowhost's own, which changes with the server: a browser checks it each time. */
    static Asset own(String resource, String type) {
        return new Asset(resource, type, "no-cache");
    }

    /** One from a webjar, versioned by it: a browser keeps it a day. */
    static Asset webjar(String artifact, String file, String type) {
        return new Asset(Webjars.path(artifact, file), type, "public, max-age=86400");
    }

    /** The file as an answer. */
    FullHttpResponse answer(String requestId) {
        try (var in = Asset.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is not in the server's jar");
            }
            var response = Responses.response(200, type, Unpooled.wrappedBuffer(in.readAllBytes()), requestId);
            response.headers().set("Cache-Control", cacheControl);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the server's jar", e);
        }
    }
}
