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
}
