package io.flowhost.server.observe;

/**
 * What a version did over the last 5 minutes, as the gateway counted it; for a shadow, how its copies compared
 * (null for any other version).
 *
 * @param calls calls answered
 * @param errors those answered with a 5xx
 * @param p50Ms median latency, null without calls
 * @param p99Ms 99th percentile latency, null without calls
 * @param compared shadow copies answered and compared with the primary's answer
 * @param agreed of those, the ones that agreed
 * @param dropped shadow copies not sent: the shadow had no room
 */
public record VersionNumbers(
        long calls, long errors, Double p50Ms, Double p99Ms, Long compared, Long agreed, Long dropped) {}
