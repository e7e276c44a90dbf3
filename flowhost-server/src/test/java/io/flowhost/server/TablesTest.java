package io.flowhost.server;

import static io.flowhost.server.GatewayTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Precomputed predictions on a real server: a table loaded from a real IrisFlow run, one written in batches over
 * HTTP, looked up by the gateway itself, with every mistake a problem that names it.
 */
@Tag("e2e")
class TablesTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer(s -> s.withMetaflow(TestJars.irisDatastore()));

    private HttpResponse<String> post(String path, String json) {
        var http = flowhost.http();
        return http.send(http.request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> put(String path, String json) {
        var http = flowhost.http();
        return http.send(http.request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> get(String path) {
        var http = flowhost.http();
        return http.send(http.request(path).GET());
    }

    @Test
    void aTableLoadedFromTheLatestSuccessfulRunIsLookedUpByTheGateway() {
        var loaded = post("/v1/tables/metrics/load", "{\"source\": \"metaflow://IrisFlow/latest/end/metrics\"}");

        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(201);
        assertThat(Http.json(loaded).path("source").asText())
                .isEqualTo("metaflow://IrisFlow/1795691852170532/end/metrics");
        var hit = get("/v1/tables/metrics/test_accuracy");
        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(hit.body()).isEqualTo("0.9777777777777777");
        assertThat(hit.headers().firstValue("X-Flowhost-Table-Version")).hasValue("1");
        var many = post("/v1/tables/metrics/lookup", "{\"keys\": [\"train_accuracy\", \"f1\"]}");
        assertThat(Http.json(many).path("values").path("train_accuracy").asDouble())
                .isEqualTo(0.9523809523809523);
        assertThat(Http.json(many).path("missing").get(0).asText()).isEqualTo("f1");

        var miss = get("/v1/tables/metrics/f1");
        assertProblem(miss, 404, "key-not-found");
        assertThat(Http.json(miss).path("detail").asText()).isEqualTo("table 'metrics' (version 1) has no key 'f1'");
        assertProblem(get("/v1/tables/nothing/k"), 404, "unknown-table");

        var listed = Http.json(get("/v1/tables"));
        assertThat(listed.path("tables").get(0).path("name").asText()).isEqualTo("metrics");
        assertThat(listed.path("tables").get(0).path("current").path("rows").asLong())
                .isEqualTo(3);
    }

    @Test
    void aFlowWritesInBatchesPublishesAndRollsBackWithEveryMistakeA4xx() throws IOException {
        var begun = post("/v1/tables/prices/versions?key-type=integer", "");
        assertThat(begun.statusCode()).as(begun.body()).isEqualTo(201);
        var rows = Http.json(begun).path("rows").asText();
        var publish = Http.json(begun).path("publish").asText();
        assertThat(rows).isEqualTo("/v1/tables/prices/versions/1/rows");

        assertThat(put(rows, "{\"1\": {\"eur\": 9.5}, \"2\": {\"eur\": 3}}").statusCode())
                .isEqualTo(200);
        assertProblem(put(rows, "{\"3\": 1, \"three\": 2}"), 422, "invalid-table-source");
        assertProblem(put(rows, "{\"3\": "), 422, "invalid-table-source");
        assertProblem(post(publish + "?rows=3", ""), 409, "conflict");
        assertProblem(get("/v1/tables/prices/1"), 404, "unknown-table");
        assertThat(put(rows, "{\"3\": {\"eur\": 1}}").statusCode()).isEqualTo(200);
        var published = post(publish + "?rows=3", "");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
        assertThat(Http.json(published).path("state").asText()).isEqualTo("current");

        assertThat(get("/v1/tables/prices/0003").body()).isEqualTo("{\"eur\":1}");
        assertProblem(get("/v1/tables/prices/three"), 400, "invalid-key");
        assertProblem(put(rows, "{\"4\": 1}"), 409, "conflict");

        var second = Http.json(post("/v1/tables/prices/versions?key-type=integer", ""));
        put(second.path("rows").asText(), "{\"1\": {\"eur\": 10}}");
        post(second.path("publish").asText(), "");
        assertThat(get("/v1/tables/prices/1").body()).isEqualTo("{\"eur\":10}");
        assertThat(post("/v1/tables/prices/rollback", "").statusCode()).isEqualTo(200);
        assertThat(get("/v1/tables/prices/1").body()).isEqualTo("{\"eur\":9.5}");
        assertProblem(post("/v1/tables/prices/versions?key-type=uuid", ""), 400, "bad-request");
        assertProblem(post("/v1/tables/Prices!/versions", ""), 400, "invalid-key");
        assertProblem(
                post("/v1/tables/x/load", "{\"source\": \"metaflow://IrisFlow/latest/end/threshold\"}"),
                422,
                "invalid-table-source");
    }

    @Test
    void lookupsAreCountedOnMetricsAndWrittenToTheRequestLog() throws IOException {
        var file = Files.writeString(flowhost.dataDir().resolve("recs.jsonl"), "{\"key\":\"u1\",\"items\":[3,7]}\n");
        var loaded = post("/v1/tables/recs/load", "{\"source\": \"" + file.toUri() + "\", \"value\": \"items\"}");
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(201);

        var hit = get("/v1/tables/recs/u1");
        assertThat(hit.body()).isEqualTo("[3,7]");
        get("/v1/tables/recs/u2");
        var requestId = hit.headers().firstValue("X-Request-Id").orElseThrow();

        var metrics = get("/metrics").body();
        assertThat(metrics).contains("flowhost_table_keys_total{outcome=\"hit\",table=\"recs\"} 1.0");
        assertThat(metrics).contains("flowhost_table_keys_total{outcome=\"miss\",table=\"recs\"} 1.0");
        assertThat(metrics).contains("flowhost_table_lookups_seconds_count{table=\"recs\"} 2");
        var line = await().atMost(Duration.ofSeconds(30))
                .until(() -> RequestLogLines.find(flowhost.dataDir(), requestId), l -> l != null);
        assertThat(line.path("mode").asText()).isEqualTo("table");
        assertThat(line.path("service").asText()).isEqualTo("recs");
        assertThat(line.path("deployment").asText()).isEqualTo("recs@1");
        assertThat(line.path("endpoint").asText()).isEqualTo("get");
        assertThat(line.path("status").asInt()).isEqualTo(200);
        assertThat(line.path("bytesOut").asInt()).isEqualTo(5);
    }
}
