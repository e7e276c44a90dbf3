package io.flowhost.alerts;

/** The default settings file, kept as text so that it passes the same checks as a user's and can be printed. */
final class DefaultSettings {

    private DefaultSettings() {}

    // Thresholds for a small platform: 5% errors (a common SLO page), p99 1s (a model call is a few ms to a few
    // hundred), 50 held calls (max-held defaults to 1000), 5 min in the async queue, 10 cold starts an hour (one
    // every 6 min: scale-to-zero is flapping), 3 crashes in 10 min (the supervisor's backoff reaches 60s by then).
    static final String JSON = """
            {
              "evaluation-interval": "15s",
              "resolved-retention": "15m",
              "webhooks": [],
              "rules": [
                {
                  "name": "FlowhostErrorRatioHigh",
                  "kind": "error-ratio",
                  "threshold": 0.05,
                  "window": "5m",
                  "for": "2m",
                  "severity": "critical"
                },
                {
                  "name": "FlowhostLatencyP99High",
                  "kind": "p99-latency",
                  "threshold": "1s",
                  "window": "5m",
                  "for": "5m",
                  "severity": "warning"
                },
                {
                  "name": "FlowhostCallsHeld",
                  "kind": "held-calls",
                  "threshold": 50,
                  "for": "1m",
                  "severity": "warning"
                },
                {
                  "name": "FlowhostAsyncQueueStale",
                  "kind": "oldest-queued",
                  "threshold": "5m",
                  "for": "1m",
                  "severity": "warning"
                },
                {
                  "name": "FlowhostColdStartsFrequent",
                  "kind": "cold-starts",
                  "threshold": 10,
                  "window": "1h",
                  "for": "0s",
                  "severity": "info"
                },
                {
                  "name": "FlowhostInstanceCrashLoop",
                  "kind": "crash-loop",
                  "threshold": 3,
                  "window": "10m",
                  "for": "0s",
                  "severity": "critical"
                }
              ]
            }
            """;
}
