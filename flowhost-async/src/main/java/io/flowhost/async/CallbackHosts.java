package io.flowhost.async;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/** Which hosts completion callbacks may go to: the server's settings list them; none by default. */
public record CallbackHosts(Set<String> allowed) {

    public CallbackHosts {
        allowed =
                Set.copyOf(allowed.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
    }

    /** Why the URL may not be called back, or null when it may. */
    public String refusal(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "callback '" + url + "' is not a URL";
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            return "callback '" + url + "' is not an http(s) URL with a host";
        }
        if (!allowed.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            return "callback host '" + uri.getHost() + "' is not allowed: the server calls back only the hosts in "
                    + "its --callback-host settings" + (allowed.isEmpty() ? " (none are set)" : " " + allowed);
        }
        return null;
    }
}
