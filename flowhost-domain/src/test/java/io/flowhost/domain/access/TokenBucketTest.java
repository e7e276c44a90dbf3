package io.flowhost.domain.access;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketLetsTheBurstByAtOnceThenRefusesSayingWhenToComeBack() {
        var bucket = new TokenBucket(new Rate(2, 3), 0);

        assertThat(bucket.take(0).remaining()).isEqualTo(2);
        assertThat(bucket.take(0).remaining()).isEqualTo(1);
        assertThat(bucket.take(0).admitted()).isTrue();
        var refused = bucket.take(0);

        assertThat(refused.admitted()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterNanos()).isEqualTo(SECOND / 2); // one token at 2 per second
        assertThat(refused.resetNanos()).isEqualTo(3 * SECOND / 2); // three tokens
    }

    @Test
    void tokensComeBackAtTheRateAndNeverPastTheBurst() {
        var bucket = new TokenBucket(new Rate(10, 5), 0);
        for (int i = 0; i < 5; i++) {
            bucket.take(0);
        }
        assertThat(bucket.take(SECOND / 20).admitted()).isFalse(); // half a token back
        assertThat(bucket.take(SECOND / 10).admitted()).isTrue(); // a whole one

        var later = bucket.take(100 * SECOND);
        assertThat(later.admitted()).isTrue();
        assertThat(later.remaining()).isEqualTo(4); // refilled to 5, not 1,000
    }

    @Test
    void aClockThatGoesBackAddsNothing() {
        var bucket = new TokenBucket(new Rate(1, 1), 10 * SECOND);
        bucket.take(10 * SECOND);

        assertThat(bucket.take(5 * SECOND).admitted()).isFalse();
    }
}
