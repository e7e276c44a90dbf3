package io.flowhost.domain.rollout;

/**
 * What one version of a service did over the same recent window as the version it is compared with.
 *
 * @param calls calls answered in the window
 * @param errors those answered with a 5xx (the service's fault, not the caller's)
 * @param p99Millis the 99th percentile of their latency, in milliseconds
 */
public record VersionStats(long calls, long errors, double p99Millis) {

    public VersionStats {
        if (calls < 0 || errors < 0 || errors > calls || p99Millis < 0) {
            throw new IllegalArgumentException(
                    "calls " + calls + ", errors " + errors + ", p99 " + p99Millis + " ms do not add up");
        }
    }

    /** The share of calls that failed, 0 when there were none. */
    public double errorRate() {
        return calls == 0 ? 0 : (double) errors / calls;
    }
}
