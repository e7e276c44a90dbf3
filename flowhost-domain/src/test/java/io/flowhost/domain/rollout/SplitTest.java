package io.flowhost.domain.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SplitTest {

    @Test
    void aSplitIsAWholePercentReadWithOrWithoutItsSign() {
        assertThat(Split.parse("10")).isEqualTo(new Split(10));
        assertThat(Split.parse(" 25% ")).isEqualTo(new Split(25));
        assertThatThrownBy(() -> Split.parse("ten"))
                .hasMessage("'ten' is not a share of calls: give a whole percent from 0 to 100, e.g. 10");
        assertThatThrownBy(() -> Split.parse("101")).hasMessage("a split is a whole percent from 0 to 100, not 101");
        assertThatThrownBy(() -> new Split(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSplitsBucketsAreTheFirstPercentOfTheHundred() {
        var tenth = new Split(10);

        assertThat(IntStream.range(0, Split.BUCKETS).filter(tenth::toOther).count())
                .isEqualTo(10);
        assertThat(tenth.toOther(9)).isTrue();
        assertThat(tenth.toOther(10)).isFalse();
    }

    @Test
    void theSameKeyAlwaysGetsTheSameVersionAndASmallerSplitIsASubsetOfALargerOne() {
        var ten = new Split(10);
        var fifty = new Split(50);

        for (int i = 0; i < 2_000; i++) {
            var key = "user-" + i;
            assertThat(ten.toOther(key)).isEqualTo(ten.toOther(key));
            if (ten.toOther(key)) {
                assertThat(fifty.toOther(key))
                        .as("a caller on the canary at 10%% stays on it at 50%%: %s", key)
                        .isTrue();
            }
        }
    }

    @Test
    void keysSpreadEvenlyOverTheBuckets() {
        int keys = 100_000;
        var counts = new int[Split.BUCKETS];
        for (int i = 0; i < keys; i++) {
            counts[Split.bucket("caller-" + i)]++;
        }

        // 1,000 expected per bucket, sd ~31: 5 sd either way fails by chance about once in 3 million runs
        assertThat(IntStream.of(counts).min().orElseThrow()).isGreaterThan(1_000 - 160);
        assertThat(IntStream.of(counts).max().orElseThrow()).isLessThan(1_000 + 160);
    }

    @Test
    void theBucketOfAKeyIsFixedForeverSoThatStickinessSurvivesRestartsAndReleases() {
        // Changing these changes which version every caller with a route key is on: only ever on purpose.
        assertThat(new int[] {Split.bucket(""), Split.bucket("alice"), Split.bucket("bob"), Split.bucket("user-42")})
                .containsExactly(3, 72, 64, 55);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 50, 90})
    void callsWithoutAKeyAreSplitInProportionByChance(int percent) {
        var split = new Split(percent);
        int calls = 200_000;

        long toOther =
                IntStream.range(0, calls).filter(i -> split.toOtherByChance()).count();

        // binomial sd at most ~224 calls (0.11 points): 6 sd either way
        assertThat((double) toOther / calls).isCloseTo(percent / 100.0, within(0.007));
    }

    @Test
    void noneAndAllAreExact() {
        assertThat(IntStream.range(0, 10_000).anyMatch(i -> Split.NONE.toOtherByChance()))
                .isFalse();
        assertThat(IntStream.range(0, 10_000).allMatch(i -> new Split(100).toOtherByChance()))
                .isTrue();
    }
}
