package io.flowhost.domain.scaling.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.scaling.ScalingSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tiny traces whose report can be worked out by hand. */
class SimulatorTest {

    private static final ScalingSettings DEFAULTS = ScalingSettings.defaults();

    private static SimulationReport run(String csv, ScalingSettings settings, Duration coldStart) {
        return Simulator.run(
                Trace.parse("test.csv", csv), settings, new SimulationOptions(Duration.ofSeconds(1), coldStart));
    }

    @Test
    void oneCallAtZeroColdStartsWaitsOneSecondAndTheInstanceStopsAfterTheIdleTimeout() {
        var report = run("0,2\n", DEFAULTS, Duration.ofSeconds(1));
        // Held at 0 (the activator starts an instance at once), ready at 1, runs 1..3; the idle clock starts at 3,
        // so the instance stops at 3 + 5 min = 303 s: 303 instance-seconds, against 4 x 303 always on.
        assertThat(report)
                .isEqualTo(new SimulationReport(1, 1, 0, 0, 1, 303, 303, 1212, 1, 1, 1, 1.0, 1.0, 1.0, 2, 0, 1, 0));
    }

    @Test
    void withAWarmInstanceTheCallDoesNotWaitAndNothingStarts() {
        var report = run("0,2\n", DEFAULTS.with(Map.of("min-instances", "1")), Duration.ofSeconds(1));
        assertThat(report).isEqualTo(new SimulationReport(1, 1, 0, 0, 0, 2, 2, 8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void aCallArrivingBetweenTicksWakesTheDeploymentAtOnce() {
        var report = run("0.5,1\n", DEFAULTS, Duration.ofMillis(800));
        assertThat(report.queueingMax()).isEqualTo(0.8); // the cold start alone, not the wait for the next tick
    }

    @Test
    void callsBeyondMaxConcurrencyWaitInArrivalOrder() {
        var settings = DEFAULTS.with(
                Map.of("min-instances", "1", "max-instances", "1", "max-concurrency", "1", "target-in-flight", "1"));
        var report = run("0,1\n0,1\n0,1\n", settings, Duration.ofSeconds(1));
        assertThat(report.served()).isEqualTo(3);
        assertThat(report.delayed()).isEqualTo(2);
        assertThat(report.peakHeld()).isEqualTo(2);
        assertThat(report.queueingP50()).isEqualTo(1.0); // waits of 0, 1 and 2 s
        assertThat(report.queueingMax()).isEqualTo(2.0);
        assertThat(report.coldStarts()).isZero();
    }

    @Test
    void aCallHeldLongerThanTheHoldTimeoutFails() {
        var settings = DEFAULTS.with(Map.of("hold-timeout", "5s"));
        var report = run("0,1\n", settings, Duration.ofSeconds(10));
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.served()).isZero();
        assertThat(report.coldStarts()).isEqualTo(1);
        // Given up at 5 s; the instance, ready at 10 s, stops 5 min after that.
        assertThat(report.instanceSeconds()).isEqualTo(305);
    }

    @Test
    void callsBeyondMaxHeldAreRejectedAtOnce() {
        var report = run("0,1\n0,1\n0,1\n0,1\n0,1\n", DEFAULTS.with(Map.of("max-held", "2")), Duration.ofSeconds(1));
        assertThat(report.rejected()).isEqualTo(3);
        assertThat(report.served()).isEqualTo(2);
        assertThat(report.peakHeld()).isEqualTo(2);
    }

    @Test
    void anEmptyTraceCostsNothing() {
        var report = run("arrival_seconds,duration_seconds\n", DEFAULTS, Duration.ofSeconds(1));
        assertThat(report.requests()).isZero();
        assertThat(report.instanceSeconds()).isZero();
    }

    @Test
    @Timeout(60)
    void aMillionCallsReplayInSeconds() {
        int n = 1_000_000;
        var arrivals = new double[n];
        var durations = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i / 100.0; // 100 calls a second for 10,000 s, in waves of 10 minutes
            arrivals[i] = t + 0.005 * Math.sin(i);
            durations[i] = 0.1 + 0.3 * (1 + Math.sin(2 * Math.PI * t / 600));
        }
        var settings = DEFAULTS.with(Map.of("max-instances", "20"));
        long started = System.nanoTime();
        var report = Simulator.run(Trace.of("million", arrivals, durations), settings, SimulationOptions.defaults());
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.println("1M calls replayed in " + ms + " ms: " + report);
        assertThat(report.served()).isEqualTo(n);
        assertThat(report.failed()).isZero();
        assertThat(report.peakInstances()).isBetween(5, 20);
    }
}
