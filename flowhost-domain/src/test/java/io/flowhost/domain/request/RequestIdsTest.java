package io.flowhost.domain.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
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

        assertThat(made).allMatch(id -> id.matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}"), "URL-safe, not an option");
        assertThat(made).isSortedAccordingTo(String::compareTo);
        assertThat(ids.next(Instant.ofEpochMilli(0))).startsWith("00000000");
        assertThat(ids.next(Instant.parse("9833-01-01T00:00:00Z")))
                .as("still in eight characters")
                .isGreaterThan(made.getLast());
        assertThatThrownBy(() -> ids.next(Instant.parse("9834-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: from 1970 to the year 9833");
    }

    @Test
    void idsOfOneMillisecondDifferInTheirRandomPart() {
        var at = Instant.parse("2026-12-06T06:40:00Z");
        var seen = new HashSet<String>();
        var prefixes = new HashSet<String>();
        var digitsAt = new ArrayList<Set<Character>>();
        for (int i = 0; i < 14; i++) {
            digitsAt.add(new HashSet<>());
        }
        for (int i = 0; i < 10_000; i++) {
            var id = ids.next(at);
            seen.add(id);
            prefixes.add(id.substring(0, 8));
            for (int d = 0; d < 14; d++) {
                digitsAt.get(d).add(id.charAt(8 + d));
            }
        }

        assertThat(seen).hasSize(10_000);
        assertThat(prefixes).hasSize(1);
        // Each random character takes all 64 values (one missing from 10,000 draws: about e^-156), none stuck.
        assertThat(digitsAt).allSatisfy(digits -> assertThat(digits).hasSize(64));
    }
}
