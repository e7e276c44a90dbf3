package io.flowhost.domain.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateTest {

    @Test
    void ratesAreReadInTheUnitsPeopleWriteAndWrittenBackWhole() {
        assertThat(Rate.parse("100/s", 200)).isEqualTo(new Rate(100, 200));
        assertThat(Rate.parse("600/min", null)).isEqualTo(new Rate(10, 10));
        assertThat(Rate.parse("1000/h", null).perUnit()).isEqualTo("1000/h");
        assertThat(Rate.parse("6 / minute", 3)).hasToString("6/min burst 3");
        assertThat(Rate.parse("2.5/s", null)).isEqualTo(new Rate(2.5, 3));
    }

    @Test
    void withoutABurstOneSecondsWorthMayComeAtOnceAndAtLeastOne() {
        assertThat(Rate.parse("100/s", null).burst()).isEqualTo(100);
        assertThat(Rate.parse("1/min", null).burst()).isEqualTo(1);
    }

    @Test
    void theWindowIsHowLongAnEmptyBucketTakesToFill() {
        assertThat(new Rate(100, 200).windowSeconds()).isEqualTo(2);
        assertThat(new Rate(1000, 10).windowSeconds()).isEqualTo(1);
        assertThat(Rate.parse("6/min", 3).windowSeconds()).isEqualTo(30);
    }

    @Test
    void aBadRateSaysWhatIsExpected() {
        assertThatThrownBy(() -> Rate.parse("fast", null))
                .hasMessage("rate: 'fast' (expected: calls per unit of time, such as 100/s, 600/min or 1000/h)");
        assertThatThrownBy(() -> Rate.parse("0/s", null)).hasMessageContaining("expected: more than 0");
        assertThatThrownBy(() -> Rate.parse("10/s", 0)).hasMessage("burst: 0 (expected: at least 1 call)");
    }
}
