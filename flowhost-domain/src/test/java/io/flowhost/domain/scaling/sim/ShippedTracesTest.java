package io.flowhost.domain.scaling.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.scaling.ScalingSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The traces in bench/traces, replayed with the default settings, behave as their comments promise. */
class ShippedTracesTest {

    private static SimulationReport replay(String name) throws IOException {
        Trace trace;
        try (var reader = Files.newBufferedReader(Path.of("../bench/traces", name))) {
            trace = Trace.read(name, reader);
        }
        return Simulator.run(trace, ScalingSettings.defaults(), SimulationOptions.defaults());
    }

    @Test
    void theDiurnalTraceScalesToZeroAtNightAndFailsNoCall() throws IOException {
        var report = replay("diurnal.csv");
        assertThat(report.requests()).isGreaterThan(50_000);
        assertThat(report.failed() + report.rejected()).isZero();
        // Zero before dawn, between the night owls and after the evening: more than an hour of the 4.
        assertThat(report.scaledToZero()).isGreaterThanOrEqualTo(3);
        assertThat(report.secondsAtZero()).isGreaterThan(3600);
        assertThat(report.savings()).isGreaterThan(0.5);
        assertThat(report.queueingP99()).isZero(); // the day ramps slowly enough that nobody waits
    }

    @Test
    void theSpikyTracePanicsOnItsBurstsAndStillServesEveryCall() throws IOException {
        var report = replay("spiky.csv");
        assertThat(report.panics()).isGreaterThanOrEqualTo(5);
        assertThat(report.failed() + report.rejected()).isZero();
        assertThat(report.peakHeld()).isPositive(); // bursts outrun the instances for a moment
        assertThat(report.scaledToZero()).isGreaterThanOrEqualTo(1); // the quiet spell
        assertThat(report.queueingMax()).isLessThan(5);
    }
}
