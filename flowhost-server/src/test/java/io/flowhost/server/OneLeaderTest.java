package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two servers on one data dir would run every control loop twice: the second is refused, naming the first, which
 * keeps serving. (On a shared PostgreSQL database the second follows instead: {@code SeveralGatewaysTest}.)
 */
@Tag("e2e")
class OneLeaderTest {

    @RegisterExtension
    final RunningServer first = new RunningServer();

    @Test
    void aSecondServerOnTheSameDataDirIsRefusedAndTheFirstServesOn() {
        var second = TestSettings.defaults(first.dataDir());

        assertThatThrownBy(() -> FlowhostServer.start(second))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another flowhost server runs on this data dir")
                .hasMessageContaining(first.server().listening());
        assertThat(first.http().get("/healthz").statusCode()).isEqualTo(200);
        var leader = Http.json(first.http().get("/v1/status")).path("leader");
        assertThat(leader.path("holder").asText()).endsWith(" " + first.server().listening());
        assertThat(leader.path("term").asLong()).isEqualTo(1);
    }
}
