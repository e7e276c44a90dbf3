package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.state.postgres.PostgresUrl;
import io.flowhost.state.postgres.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers on one state store would run every control loop twice: the second is refused, naming the first,
 * which keeps serving; and once the first stops, the next starts at once.
 */
@Tag("e2e")
class OneLeaderTest {

    private static final String DATABASE = TestPostgres.shared().newDatabase();

    @RegisterExtension
    final RunningServer first = new RunningServer();

    @Test
    void aSecondServerOnTheSameDataDirIsRefusedAndTheFirstServesOn() {
        var second = ServerSettings.defaults(first.dataDir()).withPort(0);

        assertThatThrownBy(() -> FlowhostServer.start(second))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another flowhost server runs on this state")
                .hasMessageContaining(first.server().listening());
        assertThat(first.http().get("/healthz").statusCode()).isEqualTo(200);
        var leader = Http.json(first.http().get("/v1/status")).path("leader");
        assertThat(leader.path("holder").asText()).endsWith(" " + first.server().listening());
        assertThat(leader.path("term").asLong()).isEqualTo(1);
    }

    @Test
    void aSecondServerOnTheSameDatabaseIsRefusedAndTheNextLeadsOnceTheFirstStops(@TempDir Path otherDir) {
        var url = PostgresUrl.parse(DATABASE);
        var a = FlowhostServer.start(ServerSettings.defaults(first.dataDir().resolve("a"))
                .withPort(0)
                .withState(url));
        try {
            assertThatThrownBy(() -> FlowhostServer.start(
                            ServerSettings.defaults(otherDir).withPort(0).withState(url)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(a.listening());
        } finally {
            a.close();
        }
        try (var b = FlowhostServer.start(
                ServerSettings.defaults(otherDir).withPort(0).withState(url))) {
            assertThat(new Http(b.uri()).get("/healthz").statusCode()).isEqualTo(200);
        }
    }
}
