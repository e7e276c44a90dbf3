package io.flowhost.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.access.Scope;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private static final AccessRules RULES = new AccessRules(false);

    @Test
    void metricsCanBeLeftOpenForAScraperAndNothingElseIs() {
        var open = new AccessRules(true);
        assertThat(open.needed(HttpMethod.GET, "/metrics")).isNull();
        assertThat(open.needed(HttpMethod.GET, "/v1/status")).isEqualTo(Scope.READ);
    }

    @Test
    void probesJarsAsyncRequestsByIdDocsPagesAndTheDashboardsPagesAreOpen() {
        for (var path : new String[] {
            "/healthz",
            "/readyz",
            "/v2/health/live",
            "/v1/deployments/echo-v1/jar",
            "/v1/requests/3q2-7wAAQSkZJRgABAQEAYA",
            "/v1/services/echo/docs",
            "/v1/docs/swagger-ui/swagger-ui-bundle.js",
            "/ui",
            "/ui/deployments/echo-v1",
            "/ui/assets/ui.js"
        }) {
            assertThat(RULES.needed(HttpMethod.GET, path)).as(path).isNull();
        }
        assertThat(RULES.needed(HttpMethod.DELETE, "/v1/requests/3q2-7wAAQSkZJRgABAQEAYA"))
                .isNull();
    }

    @Test
    void lookingNeedsReadChangingDeploymentsNeedsDeployAndTokensNeedAdmin() {
        assertThat(RULES.needed(HttpMethod.GET, "/v1/deployments")).isEqualTo(Scope.READ);
        assertThat(RULES.needed(HttpMethod.GET, "/v1/status/echo")).isEqualTo(Scope.READ);
        assertThat(RULES.needed(HttpMethod.GET, "/metrics")).isEqualTo(Scope.READ);
        assertThat(RULES.needed(HttpMethod.GET, "/v1/requests")).isEqualTo(Scope.READ);
        // what the dashboard's pages fetch is the API's, asked as any read is
        assertThat(RULES.needed(HttpMethod.GET, "/v1/log")).isEqualTo(Scope.READ);
        assertThat(RULES.needed(HttpMethod.GET, "/v1/whoami")).isEqualTo(Scope.READ);
        assertThat(RULES.needed(HttpMethod.GET, "/v1/history/echo-v1")).isEqualTo(Scope.READ);
        assertThat(RULES.needed(HttpMethod.GET, "/v1/services/echo/openapi.json"))
                .isEqualTo(Scope.READ);
        assertThat(RULES.needed(HttpMethod.POST, "/v1/deployments")).isEqualTo(Scope.DEPLOY);
        assertThat(RULES.needed(HttpMethod.DELETE, "/v1/deployments/echo-v1")).isEqualTo(Scope.DEPLOY);
        assertThat(RULES.needed(HttpMethod.GET, "/v1/rollouts/iris")).isEqualTo(Scope.READ);
        assertThat(RULES.needed(HttpMethod.POST, "/v1/rollouts/iris/promote")).isEqualTo(Scope.DEPLOY);
        assertThat(RULES.needed(HttpMethod.GET, "/v1/tokens")).isEqualTo(Scope.ADMIN);
        assertThat(RULES.needed(HttpMethod.DELETE, "/v1/tokens/ci")).isEqualTo(Scope.ADMIN);
    }

    @Test
    void aTableLookupIsOpenListingNeedsReadAndChangingATableNeedsDeploy() {
        assertThat(RULES.needed(HttpMethod.GET, "/v1/tables/recs/u17")).isNull();
        assertThat(RULES.needed(HttpMethod.POST, "/v1/tables/recs/lookup")).isNull();
        assertThat(RULES.needed(HttpMethod.GET, "/v1/tables")).isEqualTo(Scope.READ);
        assertThat(RULES.needed(HttpMethod.GET, "/v1/tables/recs")).isEqualTo(Scope.READ);
        assertThat(RULES.needed(HttpMethod.POST, "/v1/tables/recs/load")).isEqualTo(Scope.DEPLOY);
        assertThat(RULES.needed(HttpMethod.POST, "/v1/tables/recs/versions")).isEqualTo(Scope.DEPLOY);
        assertThat(RULES.needed(HttpMethod.PUT, "/v1/tables/recs/versions/3/rows"))
                .isEqualTo(Scope.DEPLOY);
        assertThat(RULES.needed(HttpMethod.POST, "/v1/tables/recs/versions/3/publish"))
                .isEqualTo(Scope.DEPLOY);
        assertThat(RULES.needed(HttpMethod.DELETE, "/v1/tables/recs")).isEqualTo(Scope.DEPLOY);
    }
}
