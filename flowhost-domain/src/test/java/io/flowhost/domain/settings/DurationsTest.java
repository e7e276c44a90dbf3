package io.flowhost.domain.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, 500",
        "30s, 30000",
        "5m, 300000",
        "1h, 3600000",
        "1h30m, 5400000",
        "5m0s, 300000",
        "PT30S, 30000",
        "pt0.25s, 250",
        " 2S , 2000"
    })
    void parsesWhatPeopleType(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"200us, 200000", "1ms500us, 1500000"})
    void readsMicrosecondsForShortDelays(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "1.5s", "5 m", "-1s", "P", "1d"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("is not a duration");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"9999999999999999h", "99999999999999999999s", "9223372036854776us", "9223372036854775807s1s"})
    void refusesWhatIsTooLongForADurationAsACallersMistake(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is too long a duration");
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0s",
        "500, 500ms",
        "1500, 1500ms",
        "30000, 30s",
        "60000, 60s",
        "120000, 120s",
        "300000, 5m",
        "330000, 330s",
        "3600000, 1h",
        "5400000, 90m",
        "7200000, 2h"
    })
    void formatsInSecondsUnderFiveMinutesAndTheLargestWholeUnitAbove(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"250, 250ms", "1000, 1s", "89500, 1m29.5s", "300000, 5m0s", "3723000, 1h2m3s"})
    void writesElapsedTimesForPeople(long millis, String text) {
        assertThat(Durations.elapsed(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
