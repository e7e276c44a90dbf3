package io.flowhost.server.http;

import io.flowhost.domain.rollout.Rollout;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Map;

/**
 * The {@code X-Flowhost-*} headers are the platform's own: a caller's are removed at the edge, so that
 * nothing a caller sends can pass for what the platform says (that a call is a queued one being run, how
 * long it waited). {@code X-Flowhost-Route-Key} is the one a caller sends: it keeps the caller on one version.
 */
final class InternalHeaders {

    private static final String PREFIX = "x-flowhost-";
    // The caller's own: the key that keeps it on one version while a canary rolls out.
    private static final String ROUTE_KEY = Rollout.ROUTE_KEY;

    private InternalHeaders() {}

    /** Removes every {@code X-Flowhost-*} header; looks at each name once and allocates only when it finds one. */
    static void remove(HttpHeaders headers) {
        ArrayList<CharSequence> found = null;
        var names = headers.iteratorCharSequence();
        while (names.hasNext()) {
            Map.Entry<CharSequence, CharSequence> header = names.next();
            var name = header.getKey();
            if (name.length() > PREFIX.length()
                    && AsciiString.regionMatches(name, true, 0, PREFIX, 0, PREFIX.length())
                    && !AsciiString.contentEqualsIgnoreCase(name, ROUTE_KEY)) {
                if (found == null) {
                    found = new ArrayList<>();
                }
                found.add(name);
            }
        }
        if (found != null) {
            found.forEach(headers::remove);
        }
    }
}
