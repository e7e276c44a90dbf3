package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConversionsTest {

    @Test
    void durationsReadInTheirUnits() {
        assertThat(Conversions.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Conversions.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Conversions.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Conversions.duration("2h")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aDurationWithoutAUnitIsRefusedWithAnExample() {
        assertThatThrownBy(() -> Conversions.duration("30"))
                .hasMessageContaining("'30'")
                .hasMessageContaining("30s");
    }

    @Test
    void sizesReadInBinaryUnits() {
        assertThat(Conversions.size("1024")).isEqualTo(1024);
        assertThat(Conversions.size("512KiB")).isEqualTo(512 * 1024);
        assertThat(Conversions.size("16MiB")).isEqualTo(16 * 1024 * 1024);
        assertThat(Conversions.size("16m")).isEqualTo(16 * 1024 * 1024);
    }

    @Test
    void sizesAreWrittenInTheLargestBinaryUnitUnderThem() {
        assertThat(Conversions.bytes(12 * 1024)).isEqualTo("12.0 KiB");
        assertThat(Conversions.bytes(200_002_780)).isEqualTo("190.7 MiB");
        assertThat(Conversions.bytes(3L << 29)).isEqualTo("1.50 GiB");
    }

    @Test
    void aSizeOverTwoGibibytesIsRefused() {
        assertThatThrownBy(() -> Conversions.size("3GiB")).hasMessageContaining("too large");
    }
}
