package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A batched endpoint in a real instance behind the real gateway: callers send one item each and get their own
 * answer, concurrent calls share batches, a lone call does not wait, and the batches show on /metrics and in the
 * request log.
 */
@Tag("e2e")
class BatchingTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    private HttpResponse<String> square(int n) {
        return flowhost.http().postJson("/v1/services/squares/square", "{\"n\": " + n + "}");
    }

    private static int batchOf(HttpResponse<String> answer) {
        return Integer.parseInt(
                answer.headers().firstValue("X-Flowhost-Batch-Size").orElseThrow());
    }

    @Test
    void callersGetTheirOwnAnswersFromSharedBatchesAndALoneCallDoesNotWait() throws Exception {
        flowhost.deploy(TestJars.of(TestServices.Squares.class), "?max-instances=1&max-concurrency=64");

        var lone = square(7);
        assertThat(lone.statusCode()).as(lone.body()).isEqualTo(200);
        assertThat(lone.body()).isEqualTo("49");
        assertThat(batchOf(lone)).isEqualTo(1);
        assertThat(Long.parseLong(lone.headers()
                        .firstValue("X-Flowhost-Batch-Queue-Micros")
                        .orElseThrow()))
                .as("the batch delay is 1 s; a lone call does not wait for it")
                .isLessThan(500_000);

        var sizes = new ArrayList<Integer>();
        try (var callers = Executors.newFixedThreadPool(32)) {
            var answers = new ArrayList<Future<HttpResponse<String>>>();
            for (int n = -2; n < 62; n++) {
                int item = n;
                answers.add(callers.submit(() -> square(item)));
            }
            for (int i = 0; i < answers.size(); i++) {
                int n = i - 2;
                var answer = answers.get(i).get(120, TimeUnit.SECONDS);
                if (n < 0) {
                    assertProblem(answer, 422, "call-rejected");
                    assertThat(Http.json(answer).path("detail").asText())
                            .isEqualTo(n + " has no real square root to offer");
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                    assertThat(answer.body()).isEqualTo(Integer.toString(n * n));
                }
                sizes.add(batchOf(answer));
            }
        }
        assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(1, 8));
        assertThat(sizes)
                .as("32 callers at once, each batch 20 ms: calls share batches")
                .anySatisfy(size -> assertThat(size).isGreaterThan(1));

        var metrics = flowhost.http().get("/metrics").body();
        var count = Pattern.compile("flowhost_batch_size_count\\{[^}]*endpoint=\"square\"[^}]*\\} (\\d+)")
                .matcher(metrics);
        assertThat(count.find()).as(metrics).isTrue();
        assertThat(Integer.parseInt(count.group(1)))
                .as("calls are counted, not batches")
                .isEqualTo(65);
        assertThat(metrics).contains("flowhost_batch_queue_seconds_count");
        var requestId = lone.headers().firstValue("X-Request-Id").orElseThrow();
        var line = await().atMost(Duration.ofSeconds(30))
                .until(() -> RequestLogLines.find(flowhost.dataDir(), requestId), l -> l != null);
        assertThat(line.path("batch").asInt()).isEqualTo(1);
        assertThat(line.has("batchQueueMs")).isTrue();
        assertThat(List.of(line.path("endpoint").asText())).containsExactly("square");
    }
}
