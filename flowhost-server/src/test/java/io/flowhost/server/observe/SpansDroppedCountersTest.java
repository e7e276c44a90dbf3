package io.flowhost.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The spans the gateway's and each instance's tracing dropped: one counter family told apart by
 * {@code process}, an instance's series labelled by service and instance as its other counters are.
 */
class SpansDroppedCountersTest {

    static final String GATEWAY = "flowhost_spans_dropped_total{instance=\"\",process=\"gateway\",service=\"\"}";
    static final String ECHO_1 =
            "flowhost_spans_dropped_total{instance=\"echo-v1-1\",process=\"instance\",service=\"echo\"}";

    final Metrics metrics = new Metrics();
    final AtomicReference<List<Metrics.InstanceUse>> instances = new AtomicReference<>(List.of());

    SpansDroppedCountersTest() {
        metrics.liveState(() -> new Metrics.Snapshot(List.of(), instances.get()));
    }

    /** An instance that does not log predictions; -1 spans dropped when it does not trace either. */
    private static Metrics.InstanceUse instance(String id, long spansDropped) {
        return new Metrics.InstanceUse("echo", id, 1.0, 1024, 512, -1, -1, -1, spansDropped);
    }

    @Test
    void theGatewaysAndEachInstancesDroppedSpansAreOneFamilyToldApartByProcess() {
        metrics.spansDropped(() -> 2);
        instances.set(List.of(instance("echo-v1-1", 40)));

        var text = metrics.scrape();

        assertThat(text.lines().filter(line -> line.equals("# TYPE flowhost_spans_dropped_total counter")))
                .hasSize(1);
        assertThat(text).contains(GATEWAY + " 2.0").contains(ECHO_1 + " 40.0");
    }

    @Test
    void anInstancesCountNeverGoesBackAndEndsWithTheInstance() {
        instances.set(List.of(instance("echo-v1-1", 40)));
        metrics.scrape();

        instances.set(List.of(instance("echo-v1-1", -1))); // /healthz timed out
        assertThat(metrics.scrape()).contains(ECHO_1 + " 40.0");

        instances.set(List.of()); // the instance stopped: its series ends
        assertThat(metrics.scrape()).doesNotContain("flowhost_spans_dropped_total{");
    }

    @Test
    void withoutTracingThereIsNoSeries() {
        instances.set(List.of(instance("echo-v1-1", -1)));

        assertThat(metrics.scrape()).doesNotContain("flowhost_spans_dropped");
    }
}
