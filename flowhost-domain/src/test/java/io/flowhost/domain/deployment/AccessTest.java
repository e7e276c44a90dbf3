package io.flowhost.domain.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.access.Rate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessTest {

    @Test
    void theDefaultIsOpenWithNoQuotaAndNeedsNoLook() {
        assertThat(Access.open().tokenRequired()).isFalse();
        assertThat(Access.open().rate()).isNull();
        assertThat(Access.open().guarded()).isFalse();
        assertThat(Access.open().toMap()).isEmpty();
    }

    @Test
    void settingsAreReadByKeyAndWrittenBackTheSame() {
        var access = Access.open().with(Map.of("require-token", "true", "rate", "100/s", "burst", "200"));

        assertThat(access).isEqualTo(new Access(true, new Rate(100, 200)));
        assertThat(access.guarded()).isTrue();
        assertThat(Access.open().with(access.toMap())).isEqualTo(access);
        assertThat(Access.open().with(Map.of("rate", "5/s")).guarded()).isTrue();
    }

    @Test
    void aBurstAloneChangesTheBurstOfTheRateThereIs() {
        var access = new Access(false, new Rate(10, 10)).with(Map.of("burst", "50"));

        assertThat(access.rate()).isEqualTo(new Rate(10, 50));
        assertThatThrownBy(() -> Access.open().with(Map.of("burst", "50")))
                .hasMessage("burst: given without a rate (give rate too, such as 100/s)");
    }

    @Test
    void aBadValueOrKeySaysWhatIsExpected() {
        assertThatThrownBy(() -> Access.open().with(Map.of("require-token", "yes")))
                .hasMessage("require-token: 'yes' (expected: true or false)");
        assertThatThrownBy(() -> Access.open().with(Map.of("burst", "lots", "rate", "1/s")))
                .hasMessageContaining("burst: 'lots'");
        assertThatThrownBy(() -> Access.open().with(Map.of("quota", "1")))
                .hasMessageContaining("unknown access setting (expected one of: require-token, rate, burst)");
    }
}
