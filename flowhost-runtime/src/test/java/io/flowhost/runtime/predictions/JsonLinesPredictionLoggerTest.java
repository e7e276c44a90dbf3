package io.flowhost.runtime.predictions;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.sdk.predictions.Prediction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesPredictionLoggerTest {

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock("2026-11-26T14:05:00Z");

    private Prediction prediction(String requestId, String request, String response) {
        return new Prediction(
                "iris-v3",
                "iris",
                "predict",
                "IrisFlow/1795691857254202",
                request.getBytes(StandardCharsets.UTF_8),
                response.getBytes(StandardCharsets.UTF_8),
                200,
                Duration.ofNanos(1_234_567),
                clock.instant(),
                requestId,
                null);
    }

    private JsonLinesPredictionLogger logger(long maxFileBytes) throws IOException {
        return new JsonLinesPredictionLogger(dir, maxFileBytes, clock);
    }

    @Test
    void eachPredictionIsOneLineWithItsFieldsAndItsJsonBodiesEmbedded() throws IOException {
        try (var logger = logger(1 << 20)) {
            logger.log(prediction(
                    "r1",
                    "{\"sepal\": [5.1, 3.5],\n \"note\": \"two\\nlines\"}",
                    "{\"species\":\"setosa\",\"score\":0.10}"));
        }

        var line = JsonLines.all(dir).getFirst();
        assertThat(line.get("time").asText()).isEqualTo("2026-11-26T14:05:00Z");
        assertThat(line.get("deployment").asText()).isEqualTo("iris-v3");
        assertThat(line.get("variant").asText())
                .as("a prediction made without one")
                .isEqualTo("primary");
        assertThat(line.get("service").asText()).isEqualTo("iris");
        assertThat(line.get("endpoint").asText()).isEqualTo("predict");
        assertThat(line.get("metaflowRun").asText()).isEqualTo("IrisFlow/1795691857254202");
        assertThat(line.get("requestId").asText()).isEqualTo("r1");
        assertThat(line.get("traceId").isNull()).isTrue();
        assertThat(line.get("status").asInt()).isEqualTo(200);
        assertThat(line.get("latencyMs").asDouble()).isEqualTo(1.235);
        assertThat(line.get("request").get("sepal").get(0).asDouble()).isEqualTo(5.1);
        assertThat(line.get("request").get("note").asText()).isEqualTo("two\nlines");
        assertThat(line.get("response").get("species").asText()).isEqualTo("setosa");
    }

    @Test
    void aBodyThatIsNotJsonIsKeptInBase64AndAnEmptyOneIsNull() throws IOException {
        try (var logger = logger(1 << 20)) {
            logger.log(prediction("r1", "", "{\"x\": 1} and more"));
        }

        var line = JsonLines.all(dir).getFirst();
        assertThat(line.get("request").isNull()).isTrue();
        assertThat(line.has("response")).isFalse();
        assertThat(Base64.getDecoder().decode(line.get("responseBase64").asText()))
                .isEqualTo("{\"x\": 1} and more".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void filesAreHivePartitionedByUtcHourAndNamedByIt() throws IOException {
        try (var logger = logger(1 << 20)) {
            logger.log(prediction("r1", "{}", "{}"));
        }

        assertThat(JsonLines.files(dir))
                .containsExactly("date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-000.jsonl");
        assertThat(dir.resolve("README.md")).content().contains("date=2026-11-26/hour=14/");
    }

    @Test
    void aFileThatWouldPassItsSizeLimitRollsOverToTheNextNumber() throws IOException {
        int lineBytes;
        try (var probe = new JsonLinesPredictionLogger(dir.resolve("probe"), 1 << 20, clock)) {
            probe.log(prediction("r0", "{}", "{}"));
        }
        lineBytes = (int)
                Files.size(dir.resolve("probe/date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-000.jsonl"));
        var out = dir.resolve("out");

        try (var logger = new JsonLinesPredictionLogger(out, 2L * lineBytes, clock)) {
            for (int i = 0; i < 5; i++) {
                logger.log(prediction("r" + i, "{}", "{}")); // two lines fit in a file
            }
        }

        assertThat(JsonLines.files(out))
                .containsExactly(
                        "date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-000.jsonl",
                        "date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-001.jsonl",
                        "date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-002.jsonl");
        assertThat(JsonLines.all(out))
                .extracting(l -> l.get("requestId").asText())
                .containsExactly("r0", "r1", "r2", "r3", "r4");
    }

    @Test
    void aNewHourStartsANewFileInItsOwnPartition() throws IOException {
        try (var logger = logger(1 << 20)) {
            logger.log(prediction("r1", "{}", "{}"));
            clock.advance(Duration.ofMinutes(54).plusSeconds(59)); // 14:59:59
            logger.log(prediction("r2", "{}", "{}"));
            clock.advance(Duration.ofSeconds(1)); // 15:00:00
            logger.log(prediction("r3", "{}", "{}"));
            clock.advance(Duration.ofHours(9)); // 2026-11-27T00:00:00Z
            logger.log(prediction("r4", "{}", "{}"));
        }

        assertThat(JsonLines.files(dir))
                .containsExactly(
                        "date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-000.jsonl",
                        "date=2026-11-26/hour=15/predictions-2026-11-26T15-00-00Z-000.jsonl",
                        "date=2026-11-27/hour=00/predictions-2026-11-27T00-00-00Z-000.jsonl");
        assertThat(JsonLines.inFile(dir.resolve(JsonLines.files(dir).getFirst())))
                .hasSize(2);
    }

    @Test
    void twoWritersOfOneDirectoryNeverShareAFile() throws IOException {
        // Two instances of one deployment, or one instance and its restart, in the same hour.
        try (var first = logger(1 << 20);
                var second = logger(1 << 20)) {
            first.log(prediction("a", "{}", "{}"));
            second.log(prediction("b", "{}", "{}"));
            first.log(prediction("c", "{}", "{}"));
        }

        var files = JsonLines.files(dir);
        assertThat(files)
                .containsExactly(
                        "date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-000.jsonl",
                        "date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-001.jsonl");
        assertThat(JsonLines.inFile(dir.resolve(files.get(0))))
                .extracting(l -> l.get("requestId").asText())
                .containsExactly("a", "c");
        assertThat(JsonLines.inFile(dir.resolve(files.get(1))))
                .extracting(l -> l.get("requestId").asText())
                .containsExactly("b");
    }

    @Test
    void flushingMakesTheLinesLoggedSoFarReadable() throws IOException {
        try (var logger = logger(1 << 20)) {
            logger.log(prediction("r1", "{}", "{}"));
            logger.flush();

            assertThat(JsonLines.all(dir)).hasSize(1);
        }
    }
}
