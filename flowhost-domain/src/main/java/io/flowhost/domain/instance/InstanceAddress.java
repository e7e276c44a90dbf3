package io.flowhost.domain.instance;

import java.net.InetSocketAddress;

/**
 * Where a ready instance takes calls.
 *
 * @param id the instance id, e.g. {@code iris-v2-1}
 * @param address its host and port
 */
public record InstanceAddress(String id, InetSocketAddress address) {}
