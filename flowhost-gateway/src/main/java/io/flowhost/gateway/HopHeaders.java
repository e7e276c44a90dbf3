package io.flowhost.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * The headers that belong to one connection, not to the message, which a proxy must not pass on (RFC 9110
 * §7.6.1): {@code Connection} and every header it names, and the hop-by-hop headers by name.
 */
final class HopHeaders {

    private static final List<CharSequence> BY_NAME = List.of(
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE,
            HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION,
            HttpHeaderNames.TRAILER,
            // The gateway has answered 100-continue already; the instance must not be asked again.
            HttpHeaderNames.EXPECT);

    private HopHeaders() {}

    /** Removes the hop-by-hop headers, those {@code Connection} names first. */
    static void remove(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            var connection = headers.getAll(HttpHeaderNames.CONNECTION);
            var named = new ArrayList<String>();
            for (var value : connection) {
                for (var token : value.split(",")) {
                    if (!token.isBlank()) {
                        named.add(token.trim());
                    }
                }
            }
            named.forEach(headers::remove);
            headers.remove(HttpHeaderNames.CONNECTION);
        }
        for (var name : BY_NAME) {
            headers.remove(name);
        }
    }
}
