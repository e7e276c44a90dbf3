package io.flowhost.async;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * Where completion callbacks may go: the origins (scheme, host and port) the server's settings allow, none by
 * default, and never the server's own address. An origin, not a host, so that a caller cannot reach another port
 * of an allowed machine (its database, its admin console) or, when {@code localhost} is allowed, this server's own
 * management API.
 */
public final class CallbackOrigins {

    /** One origin: a scheme, a lowercase host and a port (the scheme's default when not written). */
    public record Origin(String scheme, String host, int port) {

        /** Parses {@code http://host[:port]} or {@code https://...}; anything else is refused saying what is wrong. */
        public static Origin parse(String text) {
            URI uri;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("callback-origin: '" + text + "' is not a URL" + EXAMPLE);
            }
            var origin = of(uri);
            if (origin == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null
                    || !(uri.getRawPath() == null
                            || uri.getRawPath().isEmpty()
                            || uri.getRawPath().equals("/"))) {
                throw new IllegalArgumentException("callback-origin: '" + text
                        + "' is not an origin: give a scheme, a host and a port only" + EXAMPLE);
            }
            return origin;
        }

        /** The origin of an http(s) URL, or null when it has none. */
        static Origin of(URI uri) {
            var scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
                return null;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
            return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port);
        }

        @Override
        public String toString() {
            return scheme + "://" + host + ":" + port;
        }
    }

    private static final String EXAMPLE = " (expected e.g. http://hooks.internal:8080)";

    private final Set<Origin> allowed;
    private final IntSupplier ownPort;

    /**
     * @param allowed the origins callbacks may go to, as {@link Origin#parse} reads them
     * @param ownPort the port this server listens on, once it does: an allowed origin on this machine with that
     *                port is this server, and is refused
     */
    public CallbackOrigins(Collection<String> allowed, IntSupplier ownPort) {
        this.allowed = allowed.stream().map(Origin::parse).collect(Collectors.toUnmodifiableSet());
        this.ownPort = ownPort;
    }

    /** The allowed origins that are this server's own address, and will always be refused. */
    public Set<Origin> own() {
        return allowed.stream().filter(this::isOwn).collect(Collectors.toUnmodifiableSet());
    }

    /** Why the URL may not be called back, or null when it may. */
    public String refusal(String url) {
        Origin origin;
        try {
            origin = Origin.of(new URI(url));
        } catch (URISyntaxException e) {
            return "callback '" + url + "' is not a URL";
        }
        if (origin == null) {
            return "callback '" + url + "' is not an http(s) URL with a host";
        }
        if (!allowed.contains(origin)) {
            return "callback origin " + origin + " is not allowed: the server calls back only the origins (scheme,"
                    + " host and port) of its --callback-origin settings"
                    + (allowed.isEmpty()
                            ? " (none are set)"
                            : " "
                                    + allowed.stream()
                                            .map(Origin::toString)
                                            .sorted()
                                            .toList());
        }
        if (isOwn(origin)) {
            return "callback origin " + origin + " is this server's own address: a callback may not call the server"
                    + " itself";
        }
        return null;
    }

    /**
     * Why the URL may not be called now that its host is looked up, or null when it may: besides {@link #refusal},
     * an allowed name that leads to this server (on its port), or to a link-local address (where clouds serve an
     * instance's credentials, 169.254.169.254), is refused unless that address was written as the origin itself.
     * The JVM keeps what it looked up for 30 s, so the connection that follows goes to an address judged here.
     */
    public String refusalAfterLookup(String url) {
        var refusal = refusal(url);
        if (refusal != null) {
            return refusal;
        }
        var origin = Origin.of(URI.create(url));
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(origin.host());
        } catch (UnknownHostException e) {
            return null; // the call fails as any other and is tried again
        }
        for (var address : addresses) {
            boolean written = stripBrackets(origin.host()).equalsIgnoreCase(address.getHostAddress());
            if (origin.port() == ownPort.getAsInt() && isThisMachine(address)) {
                return "callback origin " + origin + " leads to " + address.getHostAddress() + ", this server's own"
                        + " address: a callback may not call the server itself";
            }
            if (address.isLinkLocalAddress() && !written) {
                return "callback origin " + origin + " leads to the link-local address " + address.getHostAddress()
                        + " (where clouds serve an instance's credentials); write that address as the origin if it is"
                        + " meant";
            }
        }
        return null;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isThisMachine(InetAddress address) {
        try {
            return address.isLoopbackAddress()
                    || address.isAnyLocalAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /**
     * Whether the origin is this server: its port, and a host that names this machine. Only what needs no DNS is
     * judged (localhost names and address literals): a DNS name that leads here was chosen by whoever set it.
     */
    private boolean isOwn(Origin origin) {
        return origin.port() == ownPort.getAsInt() && namesThisMachine(origin.host());
    }

    static boolean namesThisMachine(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        var literal = stripBrackets(host);
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:.%]*:[0-9a-fA-F:.%]*")) {
            return false; // a name: judged when a callback is sent, after it is looked up (refusalAfterLookup)
        }
        try {
            return isThisMachine(InetAddress.getByName(literal)); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
