package io.flowhost.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Calls counted per caller on {@code /metrics}: a series per token, and per identity-provider user up to a cap. */
class CallerCountersTest {

    private static final String SERIES = "flowhost_token_calls_total{outcome=\"admitted\",token=\"";

    final Metrics metrics = new Metrics();

    @Test
    void identityProviderUsersGetASeriesEachUpToTheCapAndTheCallsOfAnyMoreAreCountedTogether() {
        var counts = metrics.quotaCounts();
        for (int i = 0; i < Metrics.MAX_OIDC_SERIES + 50; i++) {
            counts.tokenCall("oidc:user-" + i, false);
        }
        counts.tokenCall("oidc:user-0", false); // one that has a series keeps it
        counts.tokenCall("oidc:user-9999", false); // a newcomer past the cap does not get one
        counts.tokenCall("ci-deployer", false); // tokens are a list someone keeps: never capped

        var text = metrics.scrape();

        assertThat(text)
                .contains(SERIES + "oidc:user-0\"} 2.0")
                .contains(SERIES + "oidc:user-" + (Metrics.MAX_OIDC_SERIES - 1) + "\"} 1.0")
                .contains(SERIES + Metrics.OIDC_OTHERS + "\"} 51.0")
                .contains(SERIES + "ci-deployer\"} 1.0")
                .doesNotContain("oidc:user-9999");
        assertThat(text.lines().filter(line -> line.startsWith(SERIES + "oidc:")))
                .hasSize(Metrics.MAX_OIDC_SERIES + 1);
    }
}
