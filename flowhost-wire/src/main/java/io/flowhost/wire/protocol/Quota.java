package io.flowhost.wire.protocol;

/**
 * The quota a 429 names, as the IETF RateLimit header fields carry it (draft-ietf-httpapi-ratelimit-headers):
 * {@code RateLimit-Policy: "token-ci";q=200;w=2} and {@code RateLimit: "token-ci";r=0;t=1}.
 *
 * @param policy the quota's name
 * @param quota how many calls it lets by in a window (the bucket's burst)
 * @param window the window, in seconds (how long an empty bucket takes to fill)
 * @param remaining calls left now
 * @param reset seconds until the quota is whole again
 */
public record Quota(String policy, long quota, long window, long remaining, long reset) {

    /** The {@code RateLimit-Policy} field. */
    public String policyField() {
        return "\"" + policy + "\";q=" + quota + ";w=" + window;
    }

    /** The {@code RateLimit} field. */
    public String limitField() {
        return "\"" + policy + "\";r=" + remaining + ";t=" + reset;
    }
}
