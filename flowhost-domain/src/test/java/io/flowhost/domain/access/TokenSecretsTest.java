package io.flowhost.domain.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class TokenSecretsTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void aTokenIs256RandomBitsAndOnlyItsHashIsKept() {
        var issued = TokenSecrets.issue("ci", Scope.DEPLOY, NOW, null);

        assertThat(issued.token()).matches("fh_[A-Za-z0-9_-]{43}");
        assertThat(issued.kept().sha256()).isEqualTo(TokenSecrets.sha256(issued.token()));
        assertThat(issued.kept().toString()).doesNotContain(issued.token());
        var seen = new HashSet<String>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(TokenSecrets.issue("ci", Scope.READ, NOW, null).token()))
                    .isTrue();
        }
    }

    @Test
    void aPresentedTokenMatchesItsOwnHashOnly() {
        var issued = TokenSecrets.issue("ci", Scope.READ, NOW, null);

        assertThat(TokenSecrets.matches(issued.token(), issued.kept())).isTrue();
        assertThat(TokenSecrets.matches(issued.token() + "x", issued.kept())).isFalse();
        assertThat(TokenSecrets.matches("", issued.kept())).isFalse();
    }

    @Test
    void aTokenIsAcceptedUntilItExpires() {
        var kept = TokenSecrets.issue("short", Scope.READ, NOW, NOW.plus(Duration.ofDays(30)))
                .kept();

        assertThat(kept.validAt(NOW.plus(Duration.ofDays(29)))).isTrue();
        assertThat(kept.validAt(NOW.plus(Duration.ofDays(30)))).isFalse();
        assertThat(TokenSecrets.issue("forever", Scope.READ, NOW, null).kept().validAt(NOW.plusSeconds(1L << 40)))
                .isTrue();
    }

    @Test
    void badNamesAndPastExpiriesAreRefusedSayingWhy() {
        assertThatThrownBy(() -> TokenSecrets.issue("has space", Scope.READ, NOW, null))
                .hasMessageContaining("token name 'has space'");
        assertThatThrownBy(() -> TokenSecrets.issue("ci", Scope.READ, NOW, NOW))
                .hasMessage("a token must expire after it is made");
    }
}
