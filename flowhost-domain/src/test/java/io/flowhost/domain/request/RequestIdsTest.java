package io.flowhost.domain.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

    private final RequestIds ids = new RequestIds();

    @Test
    void idsAre22UrlSafeCharactersThatSortInTheOrderOfTheirMillisecond() {
        var made = new ArrayList<String>();
        var at = Instant.parse("2026-12-06T06:40:00Z");
        for (int i = 0; i < 2_000; i++) {
            made.add(ids.next(at.plusMillis(i * 37L)));
        }

        assertThat(made).allMatch(id -> id.matches("[A-Za-z0-9_-]{22}"));
        assertThat(made).isSortedAccordingTo(String::compareTo);
        assertThat(ids.next(Instant.ofEpochMilli(0))).startsWith("--------");
        assertThat(ids.next(Instant.parse("9999-12-31T23:59:59.999Z")))
                .as("still in 48 bits")
                .isGreaterThan(made.getLast());
    }

    @Test
    void idsOfOneMillisecondDifferInTheirRandomPart() {
        var at = Instant.parse("2026-12-06T06:40:00Z");
        var seen = new HashSet<String>();
        var prefixes = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            var id = ids.next(at);
            seen.add(id);
            prefixes.add(id.substring(0, 8));
        }

        assertThat(seen).hasSize(10_000);
        assertThat(prefixes).hasSize(1);
    }
}
