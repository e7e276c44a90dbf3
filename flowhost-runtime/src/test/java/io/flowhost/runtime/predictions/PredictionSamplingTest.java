package io.flowhost.runtime.predictions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PredictionSamplingTest {

    private static final int CALLS = 10_000;

    /** Offers 10,000 calls to logging at the given rate and returns how many reached the logger. */
    private static int logged(double rate) {
        var logger = new CollectingLogger();
        var settings = PredictionSettings.defaults().withSampleRate(rate).withBufferCapacity(CALLS);
        var predictions = Predictions.start(
                settings, "scorer", () -> null, List.of(logger), InstantSource.system(), new Random(42)::nextDouble);
        for (int i = 0; i < CALLS; i++) {
            if (predictions.sample()) {
                predictions.record("score", new byte[0], new byte[0], 200, Duration.ofMillis(1), "r" + i, null, null);
            }
        }
        predictions.close();
        assertThat(predictions.dropped()).isZero();
        assertThat(predictions.logged()).isEqualTo(logger.predictions.size());
        return logger.predictions.size();
    }

    @Test
    void rateZeroLogsNothing() {
        assertThat(logged(0)).isZero();
    }

    @Test
    void rateOneLogsEveryCall() {
        assertThat(logged(1)).isEqualTo(CALLS);
    }

    @Test
    void rateOneHalfLogsAboutHalfTheCalls() {
        // Binomial(10,000, 0.5) has a standard deviation of 50: ±250 is five of them.
        assertThat((double) logged(0.5)).isCloseTo(CALLS / 2.0, within(250.0));
    }

    @Test
    void loggingWithNoLoggerIsOffAndSamplesNothing() {
        var predictions = Predictions.start(
                PredictionSettings.defaults(), "scorer", () -> null, List.of(), InstantSource.system(), () -> 0.0);

        assertThat(predictions).isSameAs(Predictions.off());
        assertThat(predictions.enabled()).isFalse();
        assertThat(predictions.sample()).isFalse();
    }
}
