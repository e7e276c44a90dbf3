package io.flowhost.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DescriptorBudgetTest {

    @Test
    void aLimitWithRoomForTheCapAndTheHeadroomIsEnough() {
        assertThat(DescriptorBudget.shortfall(4096 + DescriptorBudget.HEADROOM, 4096))
                .isEmpty();
        assertThat(DescriptorBudget.shortfall(1_048_576, 4096)).isEmpty();
    }

    @Test
    void aLimitBelowTheCapSaysWhatToRaiseOrLower() {
        assertThat(DescriptorBudget.shortfall(1024, 4096))
                .hasValueSatisfying(warning -> assertThat(warning)
                        .contains("open-file limit (1024)")
                        .contains("ulimit -n 4352")
                        .contains("lower --max-connections to 768"));
    }

    @Test
    void anUnknownLimitWarnsOfNothing() {
        assertThat(DescriptorBudget.shortfall(-1, 4096)).isEmpty();
    }

    @Test
    void thisProcessHasALimitToRead() {
        assertThat(DescriptorBudget.maxFiles()).isPositive();
    }
}
