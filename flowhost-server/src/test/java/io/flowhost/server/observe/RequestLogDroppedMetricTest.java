package io.flowhost.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RequestLogDroppedMetricTest {

    @Test
    void theDroppedCounterKeepsCountingAfterAGarbageCollection() {
        var metrics = new Metrics();
        var dropped = new AtomicLong(3);
        metrics.requestLogDropped(dropped::get);   // a fresh lambda: nobody else holds it
        assertThat(metrics.scrape()).contains("flowhost_request_log_dropped_total 3.0");

        // Micrometer holds a function counter's object weakly; wait for a collection that would clear it.
        var canary = new WeakReference<>(new Object());
        for (int i = 0; i < 50 && canary.get() != null; i++) {
            System.gc();
        }
        assertThat(canary.get()).as("a garbage collection ran").isNull();
        dropped.set(7);
        assertThat(metrics.scrape()).contains("flowhost_request_log_dropped_total 7.0");
    }
}
