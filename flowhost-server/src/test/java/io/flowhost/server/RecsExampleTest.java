package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The precomputed tier end to end, as the recs example shows it: a Python flow writes a table with the standard
 * library alone (examples/recs/flow/flowhost_tables.py, run by python3), and the recs service, in its own JVM,
 * answers from that table through {@code context.tables()} and computes live on a miss.
 */
@Tag("e2e")
class RecsExampleTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    private static final Path FLOW =
            Path.of("../examples/recs/flow").toAbsolutePath().normalize();

    /** Runs Python with the example's writer importable; returns what it printed. */
    private String python(String script) throws IOException, InterruptedException {
        var process = new ProcessBuilder(
                        "python3", "-c", "import sys; sys.path.insert(0, sys.argv[1])\n" + script, FLOW.toString())
                .redirectErrorStream(true)
                .start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    private JsonNode recommend(String user) {
        var http = flowhost.http();
        var answer = http.send(http.request("/v1/services/recs/recommend")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"" + user + "\"}")));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Http.json(answer);
    }

    @Test
    void aFlowWritesTheTableWithTheStandardLibraryAndTheServiceAnswersFromItOrLive() throws Exception {
        var server = flowhost.server().uri().toString();
        var written = python("""
                from flowhost_tables import TableWriter
                with TableWriter(sys.argv[2] if len(sys.argv) > 2 else '%s', 'recs', batch_rows=300) as t:
                    for u in range(1000):
                        t.put('u%%d' %% u, {'items': [(u * 7 + k * 13) %% 100 for k in range(3)]})
                print('published', t.version, t.rows, t.published['state'])
                """.formatted(server));
        assertThat(written).contains("published 1 1000 current");
        var failed = python("""
                from flowhost_tables import TableWriter
                try:
                    with TableWriter('%s', 'recs') as t:
                        t.put('u1', {'items': [0]})
                        raise RuntimeError('the flow broke')
                except RuntimeError:
                    print('abandoned', t.version)
                """.formatted(server));
        assertThat(failed).contains("abandoned 2");

        flowhost.deploy(TestJars.exampleBytes("recs"));

        var known = recommend("u7");
        assertThat(known.path("source").asText()).isEqualTo("precomputed");
        assertThat(known.path("items").toString()).isEqualTo("[49,62,75]");
        var unknown = recommend("someone-new");
        assertThat(unknown.path("source").asText()).isEqualTo("live");
        assertThat(unknown.path("items")).hasSize(3);
        var table = Http.json(
                flowhost.http().send(flowhost.http().request("/v1/tables/recs").GET()));
        assertThat(table.path("current").path("version").asInt())
                .as("the abandoned version changed nothing")
                .isEqualTo(1);
        assertThat(table.path("others").get(0).path("failure").asText()).isEqualTo("abandoned by local");
    }
}
