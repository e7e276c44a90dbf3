package io.flowhost.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.runtime.options.InstanceOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An ONNX model deployed with {@code batch=max=8,delay=...}, over real HTTP: concurrent requests of two rows
 * each get their own rows' probabilities, stacked with others or run alone.
 */
class OnnxBatchingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Rows 0, 50 and 100 of iris, and what the trained model answers for each. */
    static final float[][] ROWS = {{5.1f, 3.5f, 1.4f, 0.2f}, {7.0f, 3.2f, 4.7f, 1.4f}, {6.3f, 3.3f, 6.0f, 2.5f}};

    private static Path model() throws Exception {
        return Path.of(OnnxBatchingTest.class.getResource("/iris.onnx").toURI());
    }

    private static HttpResponse<String> infer(Instance instance, int... rows) throws Exception {
        var data = new StringBuilder();
        for (int r : rows) {
            for (float v : ROWS[r]) {
                data.append(data.isEmpty() ? "" : ", ").append(v);
            }
        }
        var body = """
                {"inputs": [{"name": "features", "shape": [%d, 4], "datatype": "FP32", "data": [%s]}]}""".formatted(rows.length, data);
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/v2/models/iris/infer"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double[] probabilities(HttpResponse<String> answer) throws Exception {
        var data = JSON.readTree(answer.body()).path("outputs").path(0).path("data");
        var out = new double[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i).asDouble();
        }
        return out;
    }

    @Test
    void concurrentRequestsAreStackedAndEachGetsItsOwnRowsAnswer() throws Exception {
        var plain = Instance.serve(InstanceOptions.forOnnx("file:" + model(), "iris"));
        var expected = new double[3][];
        try (plain) {
            for (int r = 0; r < 3; r++) {
                expected[r] = probabilities(infer(plain, r));
            }
        }
        var batched = Instance.serve(
                InstanceOptions.forOnnx("file:" + model(), "iris").withSettings(Map.of("batch", "max=8,delay=20ms")));
        try (batched;
                var callers = Executors.newFixedThreadPool(16)) {
            var lone = infer(batched, 2);
            assertThat(lone.headers().firstValue("X-Flowhost-Batch-Size")).hasValue("1");
            var answers = new ArrayList<Future<HttpResponse<String>>>();
            for (int i = 0; i < 96; i++) {
                int r = i % 3;
                answers.add(callers.submit(() -> i2(batched, r)));
            }
            for (int i = 0; i < answers.size(); i++) {
                var answer = answers.get(i).get(120, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                var got = probabilities(answer);
                int r = i % 3;
                // two rows: this row, then row 0, as sent
                assertThat(got).hasSize(6);
                for (int k = 0; k < 3; k++) {
                    assertThat(got[k]).isCloseTo(expected[r][k], within(1e-6));
                    assertThat(got[3 + k]).isCloseTo(expected[0][k], within(1e-6));
                }
                var size = Integer.parseInt(
                        answer.headers().firstValue("X-Flowhost-Batch-Size").orElseThrow());
                // a model this fast often runs each request alone, on its caller's thread (ModelBatchesTest stacks)
                assertThat(size).isBetween(1, 8);
            }

            var wrong = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + batched.port() + "/v2/models/iris/infer"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("""
                                    {"inputs": [{"name": "features", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3]}]}"""))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode())
                    .as("a request that does not fit fails alone, before batching")
                    .isEqualTo(400);
        }
    }

    /** One request of two rows: row {@code r} and row 0. */
    private static HttpResponse<String> i2(Instance instance, int r) throws Exception {
        return infer(instance, r, 0);
    }

    @Test
    void aBatchSettingThatCannotBeReadIsRefusedWhenTheModelLoads() throws Exception {
        assertThatThrownBy(() -> Instance.serve(
                        InstanceOptions.forOnnx("file:" + model(), "iris").withSettings(Map.of("batch", "max=5000"))))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("max is 2 to 1024 items");
    }
}
