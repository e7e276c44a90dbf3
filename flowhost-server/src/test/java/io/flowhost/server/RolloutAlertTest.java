package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An alert rule scoped to a canary (its deployment id as the rule's service) rolls it back when it fires. */
@Tag("e2e")
class RolloutAlertTest {

    private static final Path RULES = rules();

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(settings -> settings.withAlertsFile(RULES));

    private static Path rules() {
        try {
            var file = Files.createTempFile("flowhost-rollout-alerts-", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, """
                    {"evaluation-interval": "1s",
                     "rules": [{"name": "CanaryFails", "kind": "error-ratio", "service": "model-v2",
                                "threshold": 0.5, "window": "10s"}]}""");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFiringAlertScopedToTheCanaryRollsItBack() {
        var model = TestJars.of(TestServices.Versioned.class);
        flowhost.deploy(model, "?set=version=1");
        // Guardrails that would never judge it: only the alert can roll it back.
        flowhost.deploy(model, "?set=version=2&set=fail-after=0&canary=50&min-calls=1000000");
        var http = flowhost.http();

        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    http.postJson("/v1/services/model/predict", "{\"x\":1}");
                    return Http.json(http.get("/v1/rollouts/model"))
                            .path("state")
                            .asText()
                            .equals("rolled_back");
                });

        var history = Http.json(http.get("/v1/rollouts/model")).path("history");
        var last = history.get(history.size() - 1);
        assertThat(last.path("by").asText()).isEqualTo("flowhost");
        assertThat(last.path("reason").asText()).isEqualTo("alert CanaryFails fires for model-v2");
        for (int i = 0; i < 20; i++) {
            assertThat(http.postJson("/v1/services/model/predict", "{\"x\":1}").statusCode())
                    .isEqualTo(200);
        }
    }
}
