package io.flowhost.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The gateway's counts of what it dropped, read at each scrape from the part that drops. */
class DroppedCountersTest {

    @Test
    void theDroppedCountersKeepCountingAfterAGarbageCollection() {
        var metrics = new Metrics();
        var logLines = new AtomicLong(3);
        var spans = new AtomicLong(4);
        var audit = new AtomicLong(5);
        metrics.requestLogDropped(logLines::get); // fresh lambdas: nobody else holds them
        metrics.spansDropped(spans::get);
        metrics.auditDropped(audit::get);
        assertThat(metrics.scrape())
                .contains("flowhost_request_log_dropped_total 3.0")
                .contains("flowhost_audit_dropped_total 5.0")
                .contains("flowhost_spans_dropped_total{instance=\"\",process=\"gateway\",service=\"\"} 4.0");

        // Micrometer holds a function counter's object weakly; wait for a collection that would clear it.
        var canary = new WeakReference<>(new Object());
        for (int i = 0; i < 50 && canary.get() != null; i++) {
            System.gc();
        }
        assertThat(canary.get()).as("a garbage collection ran").isNull();
        logLines.set(7);
        spans.set(9);
        audit.set(11);
        assertThat(metrics.scrape())
                .contains("flowhost_request_log_dropped_total 7.0")
                .contains("flowhost_audit_dropped_total 11.0")
                .contains("flowhost_spans_dropped_total{instance=\"\",process=\"gateway\",service=\"\"} 9.0");
    }
}
