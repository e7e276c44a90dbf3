package io.flowhost.server.http;

import io.flowhost.wire.protocol.ForbiddenException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps web pages out of the management API, where a deploy runs code as the server's user: a request that
 * carries an {@code Origin} must come from the server's own (a page elsewhere may not use it), and while the
 * server listens on loopback only, the {@code Host} must name loopback (a page that re-binds its DNS name to
 * 127.0.0.1 sends its own name: DNS rebinding). Scripts and the CLI send no {@code Origin} and a loopback
 * {@code Host}. Until tokens exist this is the whole guard, which is why the default is loopback.
 */
final class ManagementGuard {

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    private final boolean loopbackOnly;
    private final String scheme;

    /**
     * @param loopbackOnly whether the server listens on loopback only, so that only loopback names are its own
     * @param scheme {@code http}, or {@code https} on a TLS port: the scheme of the server's own pages' origin
     */
    ManagementGuard(boolean loopbackOnly, String scheme) {
        this.loopbackOnly = loopbackOnly;
        this.scheme = scheme + "://";
    }

    /** Whether a listening address is loopback only (127.0.0.0/8, ::1, localhost). */
    static boolean isLoopback(String host) {
        var h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    /** Refuses the request unless it may use the management API; {@code port} is the one it came in on. */
    void check(HttpHeaders headers, int port) {
        var host = headers.get(HttpHeaderNames.HOST);
        if (loopbackOnly && host != null && !isLoopbackHost(host, port)) {
            throw new ForbiddenException("Host '" + host + "' is not this server's: listening on loopback, it"
                    + " answers management requests for localhost, 127.0.0.1 or [::1] on port " + port
                    + " only (another name that resolves to loopback is how a web page reaches it: DNS rebinding)");
        }
        var origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin != null && (host == null || !origin.equalsIgnoreCase(scheme + host))) {
            throw new ForbiddenException("a web page of origin '" + origin + "' may not use the management API"
                    + " (deploying runs code on this server); call it from the command line, a script or this"
                    + " server's own pages");
        }
    }

    /** {@code localhost:8080}, {@code 127.0.0.1:8080}, {@code [::1]:8080} on the server's port, or the name alone. */
    private static boolean isLoopbackHost(String host, int port) {
        var h = host.strip().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon > h.lastIndexOf(']')) {
            var name = h.substring(0, colon);
            var givenPort = h.substring(colon + 1);
            return LOOPBACK_NAMES.contains(name) && givenPort.equals(Integer.toString(port));
        }
        return LOOPBACK_NAMES.contains(h); // no port: not what a browser sends for a page on another one
    }
}
