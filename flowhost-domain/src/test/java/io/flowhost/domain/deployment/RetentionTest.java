package io.flowhost.domain.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RetentionTest {

    record Invalid(Map<String, String> values, String message) {
        @Override
        public String toString() {
            return values + " -> " + message;
        }
    }

    static Stream<Invalid> invalidValues() {
        return Stream.of(
                new Invalid(Map.of("result-ttl", "0s"), "result-ttl: 0s (expected: 1s..720h)"),
                new Invalid(Map.of("result-ttl", "721h"), "result-ttl: 721h (expected: 1s..720h)"),
                new Invalid(Map.of("queue-ttl", "500ms"), "queue-ttl: 500ms (expected: 1s..720h)"),
                new Invalid(
                        Map.of("queue-ttl", "soon"), "queue-ttl: 'soon' (expected: a duration such as 30s, 5m, 24h)"),
                new Invalid(Map.of("max-queued", "0"), "max-queued: 0 (expected: 1..10000000)"),
                new Invalid(Map.of("max-queued", "many"), "max-queued: 'many' (expected: a whole number)"),
                new Invalid(Map.of("max-attempts", "0"), "max-attempts: 0 (expected: 1..100)"),
                new Invalid(Map.of("max-attempts", "101"), "max-attempts: 101 (expected: 1..100)"),
                new Invalid(
                        Map.of("max-atempts", "3"),
                        "max-atempts: unknown retention setting (expected one of: "
                                + "result-ttl, queue-ttl, max-queued, max-attempts)"));
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void anInvalidValueIsRefusedNamingTheKeyTheValueAndTheRange(Invalid invalid) {
        assertThatThrownBy(() -> Retention.defaults().with(invalid.values()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(invalid.message());
    }

    @Test
    void theDefaultsAreTheOnesOfTheIssue() {
        assertThat(Retention.defaults())
                .isEqualTo(new Retention(Duration.ofHours(24), Duration.ofHours(6), 100_000, 3));
        assertThat(Retention.defaults().toMap())
                .containsExactly(
                        Map.entry("result-ttl", "24h"),
                        Map.entry("queue-ttl", "6h"),
                        Map.entry("max-queued", "100000"),
                        Map.entry("max-attempts", "3"));
    }

    @Test
    void withReadsBackWhatToMapWrites() {
        var custom = Retention.defaults().with(Map.of("result-ttl", "90m", "queue-ttl", "30s", "max-queued", "10"));

        assertThat(custom).isEqualTo(new Retention(Duration.ofMinutes(90), Duration.ofSeconds(30), 10, 3));
        assertThat(Retention.defaults().with(custom.toMap())).isEqualTo(custom);
    }

    @Test
    void aMissingDurationIsRefused() {
        assertThatThrownBy(() -> new Retention(null, Duration.ofHours(1), 1, 1))
                .hasMessage("result-ttl: missing (expected: 1s..720h)");
    }
}
