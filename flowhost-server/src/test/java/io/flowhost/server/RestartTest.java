package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployments live in the SQLite file under the data dir, so a restarted server serves them again. */
@Tag("e2e")
class RestartTest {

    @TempDir
    Path dataDir;

    @Test
    void aRestartedServerServesTheDeploymentsItHadWithTheirSettings() {
        try (var first = FlowhostServer.start(TestSettings.defaults(dataDir))) {
            var http = new Http(first.uri());
            assertThat(http.deploy(TestJars.exampleBytes("echo")).statusCode()).isEqualTo(201);
            assertThat(http.deploy(
                                    TestJars.of(TestServices.Trouble.class, TestServices.Order.class),
                                    "?set=greeting%3Dwelcome%20back")
                            .statusCode())
                    .isEqualTo(201);
        }

        try (var second = FlowhostServer.start(TestSettings.defaults(dataDir))) {
            var http = new Http(second.uri());
            assertThat(Http.json(http.get("/v1/services")).path("services").findValuesAsText("deployment"))
                    .containsExactlyInAnyOrder("echo-v1", "trouble-v1");
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(http.postJson("/v1/services/echo/echo", "{\"back\":true}")
                                    .body())
                            .isEqualTo("{\"back\":true}"));
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(
                                    http.get("/v1/services/trouble/greeting").body())
                            .contains("welcome back"));
        }
    }
}
