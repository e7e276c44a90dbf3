package io.flowhost.server.access;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

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
}
