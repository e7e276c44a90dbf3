package io.flowhost.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The instances' prediction-logging counters on {@code /metrics}: one monotonic series per instance,
 * which ends with the instance, so that an instance replaced (its counts back at 0) is never read as
 * a counter going down.
 */
class PredictionCountersTest {

    static final String LOGGED_1 = "flowhost_predictions_logged_total{instance=\"echo-v1-1\",service=\"echo\"}";
    static final String LOGGED_2 = "flowhost_predictions_logged_total{instance=\"echo-v1-2\",service=\"echo\"}";

    final Metrics metrics = new Metrics();
    final AtomicReference<List<Metrics.InstanceUse>> instances = new AtomicReference<>(List.of());

    PredictionCountersTest() {
        metrics.liveState(() -> new Metrics.Snapshot(List.of(), instances.get()));
    }

    private static Metrics.InstanceUse instance(String id, long logged, long dropped, long errors) {
        return new Metrics.InstanceUse("echo", id, 1.0, 1024, 512, logged, dropped, errors, -1);
    }

    private static double value(String metrics, String series) {
        return metrics.lines()
                .filter(line -> line.startsWith(series + " "))
                .findFirst()
                .map(line ->
                        Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElse(-1.0);
    }

    @Test
    void eachInstancesCountsAreCountersLabelledByServiceAndInstance() {
        instances.set(List.of(instance("echo-v1-1", 40, 2, 1), instance("echo-v1-2", 7, 0, 0)));

        var text = metrics.scrape();

        assertThat(text).contains("# TYPE flowhost_predictions_logged_total counter");
        assertThat(value(text, LOGGED_1)).isEqualTo(40);
        assertThat(value(text, LOGGED_2)).isEqualTo(7);
        assertThat(value(text, "flowhost_predictions_dropped_total{instance=\"echo-v1-1\",service=\"echo\"}"))
                .isEqualTo(2);
        assertThat(value(text, "flowhost_prediction_log_errors_total{instance=\"echo-v1-1\",service=\"echo\"}"))
                .isEqualTo(1);
    }

    @Test
    void aStoppedInstancesSeriesEndsAndItsReplacementStartsItsOwnFromZero() {
        instances.set(List.of(instance("echo-v1-1", 40, 0, 0)));
        assertThat(value(metrics.scrape(), LOGGED_1)).isEqualTo(40);

        instances.set(List.of(instance("echo-v1-2", 3, 0, 0))); // echo-v1-1 died; its replacement counts from 0
        var text = metrics.scrape();

        assertThat(text).doesNotContain("instance=\"echo-v1-1\"");
        assertThat(value(text, LOGGED_2)).isEqualTo(3);
    }

    @Test
    void anInstanceWhoseHealthCouldNotBeReadKeepsItsLastCounts() {
        instances.set(List.of(instance("echo-v1-1", 40, 0, 0)));
        metrics.scrape();

        instances.set(List.of(instance("echo-v1-1", -1, -1, -1))); // /healthz timed out

        assertThat(value(metrics.scrape(), LOGGED_1)).isEqualTo(40);
    }

    @Test
    void anInstanceNeverReadHasNoSeriesYet() {
        instances.set(List.of(instance("echo-v1-1", -1, -1, -1)));

        assertThat(metrics.scrape()).doesNotContain("flowhost_predictions_logged_total{");
    }

    @Test
    void anInstancesCpuIsACounterThatNeverGoesBack() {
        var cpu = "flowhost_instance_cpu_seconds_total{instance=\"echo-v1-1\",service=\"echo\"}";
        instances.set(List.of(new Metrics.InstanceUse("echo", "echo-v1-1", 2.5, 1024, 512, -1, -1, -1, -1)));
        var first = metrics.scrape();
        assertThat(first).contains("# TYPE flowhost_instance_cpu_seconds_total counter");
        assertThat(value(first, cpu)).isEqualTo(2.5);
        assertThat(first).doesNotContain("flowhost_predictions_logged_total{");

        instances.set(
                List.of(new Metrics.InstanceUse("echo", "echo-v1-1", 2.0, 1024, 512, -1, -1, -1, -1))); // out of order
        assertThat(value(metrics.scrape(), cpu)).isEqualTo(2.5);
        instances.set(List.of(new Metrics.InstanceUse("echo", "echo-v1-1", 3.25, 1024, 512, -1, -1, -1, -1)));
        assertThat(value(metrics.scrape(), cpu)).isEqualTo(3.25);

        instances.set(List.of()); // the instance stopped: its series ends
        assertThat(metrics.scrape()).doesNotContain("flowhost_instance_cpu_seconds_total{");
    }
}
