package io.flowhost.runtime.predictions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PredictionSettingsTest {

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.5, Double.NaN})
    void aSampleRateOutsideZeroToOneIsRefusedNamingTheOptionAndTheRange(double rate) {
        assertThatThrownBy(() -> PredictionSettings.defaults().withSampleRate(rate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--prediction-sample-rate: " + rate + " (expected: 0..1, the share of calls logged)");
    }

    @Test
    void aBufferOfNoPredictionsIsRefused() {
        assertThatThrownBy(() -> PredictionSettings.defaults().withBufferCapacity(0))
                .hasMessage("prediction buffer capacity: 0 (expected: >= 1 prediction)");
    }

    @Test
    void theDefaultsLogEveryCallThroughATenThousandEntryBufferToNoDirectory() {
        var defaults = PredictionSettings.defaults();

        assertThat(defaults.sampleRate()).isEqualTo(1.0);
        assertThat(defaults.bufferCapacity()).isEqualTo(10_000);
        assertThat(defaults.logDir()).isNull();
        assertThat(defaults.deployment()).isNull();
    }

    @Test
    void theMetaflowRunIsTheFirstPinnedFlowWithItsRunAndWithoutItsTag() {
        var pins = new TreeMap<>(Map.of("TrainFlow?tag=prod", "42", "IrisFlow", "1795691857254202"));

        assertThat(Predictions.firstRun(pins)).isEqualTo("IrisFlow/1795691857254202");
        assertThat(Predictions.firstRun(Map.of("TrainFlow?tag=prod", "42"))).isEqualTo("TrainFlow/42");
        assertThat(Predictions.firstRun(Map.of())).isNull();
    }
}
