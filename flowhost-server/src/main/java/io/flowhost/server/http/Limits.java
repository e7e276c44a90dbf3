package io.flowhost.server.http;

import io.flowhost.runtime.options.InstanceOptions;
import java.time.Duration;

/**
 * What the server refuses, so that no caller can take its memory, its sockets or its threads: each a setting
 * with a default, checked at startup naming the setting, the value and what is allowed.
 *
 * @param maxBody the largest body of a call, in bytes (default 16 MiB); larger gets 413 as soon as it is passed
 * @param maxJar the largest upload to {@code /v1/deployments}, in bytes (default 512 MiB)
 * @param maxHeldBytes the most bytes of bodies the gateway holds for calls waiting for an instance, over every
 *                     deployment (default 64 MiB); past it, 503 with Retry-After
 * @param maxPipelinedBytes the most bytes of requests one connection may have waiting behind the one being
 *                          answered (default 16 MiB); past it the connection is not read until they drain
 * @param maxConnections the most open connections (default 4,096); past it, 503 and the connection is closed
 * @param headerTimeout how long a caller may take to send a request's headers (default 10 s); then it is closed
 * @param keepAliveTimeout how long an idle keep-alive connection is kept (default 60 s)
 */
public record Limits(
        int maxBody,
        int maxJar,
        long maxHeldBytes,
        long maxPipelinedBytes,
        int maxConnections,
        Duration headerTimeout,
        Duration keepAliveTimeout) {

    private static final long MIB = 1024 * 1024;

    public Limits {
        atLeast("max-body", maxBody, 1024);
        atLeast("max-jar", maxJar, 1024);
        atLeast("max-held-bytes", maxHeldBytes, 0);
        atLeast("max-pipelined-bytes", maxPipelinedBytes, 1024);
        if (maxConnections < 1 || maxConnections > 1_000_000) {
            throw new IllegalArgumentException("max-connections: " + maxConnections + " (expected: 1..1000000)");
        }
        positive("header-timeout", headerTimeout);
        positive("keep-alive-timeout", keepAliveTimeout);
    }

    /** The defaults. */
    public static Limits defaults() {
        return new Limits(
                InstanceOptions.DEFAULT_MAX_BODY,
                512 * (int) MIB,
                64 * MIB,
                16 * MIB,
                4096,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60));
    }

    /** These limits with another body limit. */
    public Limits withMaxBody(int bytes) {
        return new Limits(
                bytes, maxJar, maxHeldBytes, maxPipelinedBytes, maxConnections, headerTimeout, keepAliveTimeout);
    }

    /** These limits with another limit on a jar posted to deploy. */
    public Limits withMaxJar(int bytes) {
        return new Limits(
                maxBody, bytes, maxHeldBytes, maxPipelinedBytes, maxConnections, headerTimeout, keepAliveTimeout);
    }

    /** These limits with another cap on connections. */
    public Limits withMaxConnections(int connections) {
        return new Limits(
                maxBody, maxJar, maxHeldBytes, maxPipelinedBytes, connections, headerTimeout, keepAliveTimeout);
    }

    /** These limits with other timeouts for headers and idle connections. */
    public Limits withTimeouts(Duration header, Duration keepAlive) {
        return new Limits(maxBody, maxJar, maxHeldBytes, maxPipelinedBytes, maxConnections, header, keepAlive);
    }

    /** These limits with another bound on the requests one connection may have waiting. */
    public Limits withMaxPipelinedBytes(long bytes) {
        return new Limits(maxBody, maxJar, maxHeldBytes, bytes, maxConnections, headerTimeout, keepAliveTimeout);
    }

    /** These limits with another budget for held calls' bodies. */
    public Limits withMaxHeldBytes(long bytes) {
        return new Limits(maxBody, maxJar, bytes, maxPipelinedBytes, maxConnections, headerTimeout, keepAliveTimeout);
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: >= " + min + " bytes)");
        }
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: > 0, e.g. 10s)");
        }
    }
}
