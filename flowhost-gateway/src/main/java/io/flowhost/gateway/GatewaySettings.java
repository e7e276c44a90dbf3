package io.flowhost.gateway;

import java.time.Duration;

/**
 * How the gateway listens and forwards.
 *
 * @param host the address it listens on
 * @param port its port (0 for any free one)
 * @param ioThreads its event-loop threads
 * @param maxBody the largest body of an endpoint call, in bytes
 * @param maxJar the largest upload to {@code /v1/deployments}, in bytes
 * @param requestTimeout how long it waits for an instance's answer before a 504
 */
public record GatewaySettings(String host, int port, int ioThreads, int maxBody, int maxJar, Duration requestTimeout) {}
