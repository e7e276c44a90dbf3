package io.flowhost.server.access;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

/** Callers' addresses as the audit trail writes them. */
public final class Addresses {

    private Addresses() {}

    /** The address alone ({@code 10.0.0.7}, {@code ::1}), without the port; null when not known. */
    public static String host(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return address == null ? null : address.toString();
    }

    /**
     * The address a {@code Forwarded} header's {@code for=} names (as a follower gateway says whom it forwards a
     * management request for), if it is one: digits, hex, dots and colons, at most 45 characters; else null.
     */
    public static String forwardedFor(String header) {
        if (header == null) {
            return null;
        }
        int at = header.toLowerCase(Locale.ROOT).indexOf("for=");
        if (at < 0) {
            return null;
        }
        int end = at + 4;
        while (end < header.length() && header.charAt(end) != ';' && header.charAt(end) != ',') {
            end++;
        }
        var value = header.substring(at + 4, end)
                .strip()
                .replace("\"", "")
                .replace("[", "")
                .replace("]", "");
        return value.length() <= 45 && !value.isEmpty() && value.chars().allMatch(Addresses::addressChar)
                ? value
                : null;
    }

    /**
     * The source the audit trail records: the peer's address, and what it said it forwarded for, so that a caller
     * who sets the header cannot hide their own ({@code 10.0.0.5 for 192.0.2.7}).
     */
    public static String audited(SocketAddress peer, String forwardedFor) {
        var host = host(peer);
        return forwardedFor == null ? host : host + " for " + forwardedFor;
    }

    private static boolean addressChar(int c) {
        return Character.digit(c, 16) >= 0 || c == '.' || c == ':';
    }
}
