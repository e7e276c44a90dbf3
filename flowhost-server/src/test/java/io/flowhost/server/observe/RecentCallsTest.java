package io.flowhost.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentCallsTest {

    private static final Instant T0 = Instant.parse("2026-12-05T20:00:00Z");

    @Test
    void findsTheNewestMatchingLinesNewestFirst() {
        var recent = new RecentCalls();
        for (int i = 0; i < 10; i++) {
            recent.add(T0.plusSeconds(i), i % 2 == 0 ? "iris" : "echo", i % 3 == 0 ? 503 : 200, "{\"i\":" + i + "}");
        }

        assertThat(recent.find(new RecentCalls.Filter("iris", null, null, 0), 3))
                .extracting(RecentCalls.Line::json)
                .containsExactly("{\"i\":8}", "{\"i\":6}", "{\"i\":4}");
        assertThat(recent.find(new RecentCalls.Filter(null, 5, null, 0), 100))
                .extracting(RecentCalls.Line::seq)
                .containsExactly(10L, 7L, 4L, 1L);
        assertThat(recent.find(new RecentCalls.Filter(null, null, T0.plusSeconds(8), 0), 100))
                .extracting(RecentCalls.Line::seq)
                .containsExactly(10L, 9L);
        // following: only what came after the last line shown
        assertThat(recent.find(new RecentCalls.Filter(null, null, null, 8), 100))
                .extracting(RecentCalls.Line::seq)
                .containsExactly(10L, 9L);
        assertThat(recent.newest()).isEqualTo(10);
    }

    @Test
    void keepsOnlyTheLastLines() {
        var recent = new RecentCalls();
        int written = RecentCalls.KEPT + 500;
        for (int i = 1; i <= written; i++) {
            recent.add(T0, "echo", 200, "{}");
        }

        var all = recent.find(RecentCalls.Filter.ALL, Integer.MAX_VALUE);
        assertThat(all).hasSize(RecentCalls.KEPT);
        assertThat(all.getFirst().seq()).isEqualTo(written);
        assertThat(all.getLast().seq()).isEqualTo(written - RecentCalls.KEPT + 1);
    }
}
