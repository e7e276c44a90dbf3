package io.flowhost.domain.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScalingSettingsTest {

    private static final ScalingSettings DEFAULTS = ScalingSettings.defaults();

    record Invalid(Map<String, String> values, String message) {
        @Override
        public String toString() {
            return values + " -> " + message;
        }
    }

    static Stream<Invalid> invalidValues() {
        return Stream.of(
                new Invalid(Map.of("min-instances", "-1"), "min-instances: -1 (expected: >= 0)"),
                new Invalid(Map.of("min-instances", "5"), "min-instances: 5 (expected: <= max-instances (4))"),
                new Invalid(Map.of("max-instances", "0"), "max-instances: 0 (expected: 1..1000)"),
                new Invalid(Map.of("max-instances", "1001"), "max-instances: 1001 (expected: 1..1000)"),
                new Invalid(Map.of("target-in-flight", "0"), "target-in-flight: 0.0 (expected: >= 0.1)"),
                new Invalid(Map.of("target-in-flight", "NaN"), "target-in-flight: NaN (expected: >= 0.1)"),
                new Invalid(
                        Map.of("target-in-flight", "20"), "target-in-flight: 20.0 (expected: <= max-concurrency (16))"),
                new Invalid(Map.of("max-concurrency", "0"), "max-concurrency: 0 (expected: 1..10000)"),
                new Invalid(Map.of("max-concurrency", "2"), "target-in-flight: 4.0 (expected: <= max-concurrency (2))"),
                new Invalid(Map.of("stable-window", "500ms"), "stable-window: 500ms (expected: 1s..1h)"),
                new Invalid(Map.of("stable-window", "2h"), "stable-window: 2h (expected: 1s..1h)"),
                new Invalid(Map.of("panic-window", "0s"), "panic-window: 0s (expected: >= 1s)"),
                new Invalid(Map.of("panic-window", "90s"), "panic-window: 90s (expected: <= stable-window (60s))"),
                new Invalid(Map.of("panic-threshold", "1.0"), "panic-threshold: 1.0 (expected: 1.1..10.0)"),
                new Invalid(Map.of("panic-threshold", "11"), "panic-threshold: 11.0 (expected: 1.1..10.0)"),
                new Invalid(Map.of("scale-down-delay", "61m"), "scale-down-delay: 61m (expected: 0s..1h)"),
                new Invalid(Map.of("idle-timeout", "0s"), "idle-timeout: 0s (expected: >= 1s)"),
                new Invalid(Map.of("startup-timeout", "999ms"), "startup-timeout: 999ms (expected: 1s..1h)"),
                new Invalid(Map.of("startup-timeout", "PT2H"), "startup-timeout: 2h (expected: 1s..1h)"),
                new Invalid(Map.of("hold-timeout", "0s"), "hold-timeout: 0s (expected: 1s..1h)"),
                new Invalid(Map.of("max-held", "0"), "max-held: 0 (expected: 1..1000000)"),
                new Invalid(Map.of("max-instances", "lots"), "max-instances: 'lots' (expected: a whole number)"),
                new Invalid(Map.of("panic-threshold", "2x"), "panic-threshold: '2x' (expected: a number)"),
                new Invalid(
                        Map.of("idle-timeout", "soon"),
                        "idle-timeout: 'soon' (expected: a duration such as 500ms, 30s, 5m, 1h)"),
                new Invalid(
                        Map.of("idle-timeout", " "),
                        "idle-timeout: missing (expected: a duration such as 500ms, 30s, 5m, 1h)"),
                new Invalid(
                        Map.of("idle-timout", "5m"),
                        "idle-timout: unknown scaling setting (expected one of: "
                                + String.join(", ", ScalingSettings.KEYS) + ")"));
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void anInvalidValueIsRefusedNamingTheKeyTheValueAndTheRange(Invalid invalid) {
        assertThatThrownBy(() -> DEFAULTS.with(invalid.values()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(invalid.message());
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertThat(DEFAULTS.toMap())
                .containsExactly(
                        Map.entry("min-instances", "0"),
                        Map.entry("max-instances", "4"),
                        Map.entry("target-in-flight", "4.0"),
                        Map.entry("max-concurrency", "16"),
                        Map.entry("stable-window", "60s"),
                        Map.entry("panic-window", "6s"),
                        Map.entry("panic-threshold", "2.0"),
                        Map.entry("scale-down-delay", "30s"),
                        Map.entry("idle-timeout", "5m"),
                        Map.entry("startup-timeout", "120s"),
                        Map.entry("hold-timeout", "120s"),
                        Map.entry("max-held", "1000"));
    }

    @Test
    void toMapHasEveryKeyAndWithReadsItBack() {
        var custom = DEFAULTS.with(Map.of(
                "min-instances",
                "1",
                "max-instances",
                "12",
                "target-in-flight",
                "2.5",
                "stable-window",
                "90s",
                "panic-window",
                "1500ms",
                "scale-down-delay",
                "0s",
                "idle-timeout",
                "1h30m"));
        assertThat(custom.toMap().keySet()).containsExactlyElementsOf(ScalingSettings.KEYS);
        assertThat(DEFAULTS.with(custom.toMap())).isEqualTo(custom);
        assertThat(custom.toMap()).containsEntry("panic-window", "1500ms").containsEntry("idle-timeout", "90m");
    }

    @Test
    void valuesThatDependOnEachOtherMayChangeTogether() {
        var settings = DEFAULTS.with(Map.of("min-instances", "6", "max-instances", "8"));
        assertThat(settings.minInstances()).isEqualTo(6);
        assertThat(settings.maxInstances()).isEqualTo(8);
    }

    @Test
    void durationsAreReadInTheirHumanAndIsoForms() {
        var settings = DEFAULTS.with(Map.of(
                "stable-window", "PT30S", "scale-down-delay", "500ms", "idle-timeout", "1h", "startup-timeout", "5m"));
        assertThat(settings.stableWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.scaleDownDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.startupTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aSubSecondPanicWindowIsRefused() {
        // 500ms parses, but a window shorter than a tick holds no sample.
        assertThatThrownBy(() -> DEFAULTS.with(Map.of("panic-window", "500ms")))
                .hasMessage("panic-window: 500ms (expected: >= 1s)");
    }

    @Test
    void theConstructorChecksTooNotOnlyWith() {
        assertThatThrownBy(() -> new ScalingSettings(
                        0,
                        4,
                        4,
                        16,
                        Duration.ofSeconds(60),
                        null,
                        2,
                        Duration.ZERO,
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(2),
                        1000))
                .hasMessage("panic-window: missing (expected: >= 1s)");
    }

    @Test
    void toStringReadsAsKeyValuePairs() {
        assertThat(DEFAULTS.toString()).startsWith("min-instances=0 max-instances=4 target-in-flight=4.0");
    }
}
