package io.flowhost.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;

class ManagementActionsTest {

    @Test
    void rolloutStepsAreActionsOnTheirService() {
        assertThat(ManagementActions.action(HttpMethod.POST, "/v1/rollouts/iris/promote"))
                .isEqualTo("rollout.promote");
        assertThat(ManagementActions.action(HttpMethod.POST, "/v1/rollouts/iris/start"))
                .isEqualTo("rollout.start");
        assertThat(ManagementActions.target("/v1/rollouts/iris/rollback")).isEqualTo("iris");
    }

    @Test
    void lookingAndMadeUpStepsAreNoActions() {
        assertThat(ManagementActions.action(HttpMethod.GET, "/v1/rollouts/iris"))
                .isNull();
        assertThat(ManagementActions.action(HttpMethod.POST, "/v1/rollouts/iris/frobnicate"))
                .isNull();
        assertThat(ManagementActions.action(HttpMethod.POST, "/v1/rollouts/iris/promote/again"))
                .isNull();
        assertThat(ManagementActions.action(HttpMethod.POST, "/v1/deployments")).isEqualTo("deploy");
    }

    @Test
    void whatChangesWhatLookupsReadIsAnActionOnItsTableAndABatchOfRowsIsNot() {
        assertThat(ManagementActions.action(HttpMethod.POST, "/v1/tables/recs/load"))
                .isEqualTo("table.load");
        assertThat(ManagementActions.action(HttpMethod.POST, "/v1/tables/recs/versions"))
                .isEqualTo("table.begin");
        assertThat(ManagementActions.action(HttpMethod.POST, "/v1/tables/recs/versions/3/publish"))
                .isEqualTo("table.publish");
        assertThat(ManagementActions.action(HttpMethod.POST, "/v1/tables/recs/rollback"))
                .isEqualTo("table.rollback");
        assertThat(ManagementActions.action(HttpMethod.DELETE, "/v1/tables/recs"))
                .isEqualTo("table.drop");
        assertThat(ManagementActions.action(HttpMethod.PUT, "/v1/tables/recs/versions/3/rows"))
                .isNull();
        assertThat(ManagementActions.action(HttpMethod.POST, "/v1/tables/recs/lookup"))
                .isNull();
        assertThat(ManagementActions.action(HttpMethod.GET, "/v1/tables/recs/u17"))
                .isNull();
        assertThat(ManagementActions.target("/v1/tables/recs/versions/3/publish"))
                .isEqualTo("recs");
    }
}
