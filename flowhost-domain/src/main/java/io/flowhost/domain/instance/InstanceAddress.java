package io.flowhost.domain.instance;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Where a ready instance takes calls.
 *
 * @param id the instance id, e.g. {@code iris-v2-1}
 * @param address its host and port
 * @param socket a Unix socket on this host it takes calls on too, or null: only the gateway that started it knows
 *               of one, and others reach it at its address
 */
public record InstanceAddress(String id, InetSocketAddress address, Path socket) {

    /** An instance reached at its address only. */
    public InstanceAddress(String id, InetSocketAddress address) {
        this(id, address, null);
    }
}
