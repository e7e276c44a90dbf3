package io.flowhost.alerts;

import java.net.URI;
import java.time.Duration;

/**
 * A receiver of alert notifications in the Alertmanager webhook format, validated when built.
 *
 * @param name         {@code name}: sent as the payload's {@code receiver}; default {@code webhook}
 * @param url          {@code url}: where notifications are POSTed, http or https
 * @param timeout      {@code timeout}: for one attempt, connecting included; default 10s; 100ms..5m
 * @param maxAttempts  {@code max-attempts}: attempts per notification when the receiver fails (5xx, 408, 429 or no
 *                     answer); default 3; 1..10
 * @param retryBackoff {@code retry-backoff}: wait before the 2nd attempt, doubling for each later one; default 1s;
 *                     10ms..1m
 */
public record Webhook(String name, URI url, Duration timeout, int maxAttempts, Duration retryBackoff) {

    /** Checks every value. */
    public Webhook {
        try {
            if (name == null || name.isBlank()) {
                throw Invalid.of("name", "'" + name + "'", "a receiver name");
            }
            if (url == null
                    || url.getHost() == null
                    || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw Invalid.of("url", url, "an http or https URL such as http://alertmanager:9093/hook");
            }
            range("timeout", timeout, Duration.ofMillis(100), Duration.ofMinutes(5));
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw Invalid.of("max-attempts", maxAttempts, "1..10");
            }
            range("retry-backoff", retryBackoff, Duration.ofMillis(10), Duration.ofMinutes(1));
        } catch (IllegalArgumentException e) {
            throw Invalid.in("webhook " + name, e);
        }
    }

    /** A webhook to {@code url} with the defaults: 10s timeout, 3 attempts, 1s backoff. */
    public static Webhook to(String name, URI url) {
        return new Webhook(name, url, Duration.ofSeconds(10), 3, Duration.ofSeconds(1));
    }

    private static void range(String key, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw Invalid.of(
                    key, value == null ? "missing" : Spans.format(value), Spans.format(min) + ".." + Spans.format(max));
        }
    }
}
