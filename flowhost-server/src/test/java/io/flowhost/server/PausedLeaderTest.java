package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.state.postgres.PostgresUrl;
import io.flowhost.state.postgres.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader paused past its lease (SIGSTOP, as a network partition or a long GC would) is replaced, and once it
 * wakes it does not act as the leader again: it finds its term over and stops its loops, while the new leader
 * serves. Real processes and a real PostgreSQL.
 */
@Tag("e2e")
class PausedLeaderTest {

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    private final List<String> outputOfA = new CopyOnWriteArrayList<>();

    @Test
    void aPausedLeaderIsReplacedAndOnWakingStopsActingAsTheLeader() throws Exception {
        var url = TestPostgres.shared().newDatabase();
        var a = startChild(dirA, url);
        FlowhostServer b = null;
        try {
            var httpA = new Http(URI.create("http://127.0.0.1:" + port(a)));
            var deployed = httpA.deploy(TestJars.exampleBytes("echo"), "");
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

            signal("STOP", a.pid());
            // A's lease runs out about 10 s after its last renewal; until then B is refused, naming A.
            b = await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> tryStart(dirB, url), Objects::nonNull);
            var httpB = new Http(b.uri());
            var leader = Http.json(httpB.get("/v1/status")).path("leader");
            assertThat(leader.path("holder").asText()).endsWith(" " + b.listening());
            assertThat(leader.path("term").asLong()).isEqualTo(2);

            signal("CONT", a.pid());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> outputOfA.stream().anyMatch(line -> line.contains("lost the lead of its state")));

            var ids = new ArrayList<String>();
            for (int i = 0; i < 5; i++) {
                var r = httpB.send(httpB.request("/v1/services/echo/echo")
                        .header("Content-Type", "application/json")
                        .header("Prefer", "respond-async")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"after\": " + i + "}")));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                ids.add(Http.json(r).path("id").asText());
            }
            for (var id : ids) {
                var done = Http.json(httpB.get("/v1/requests/" + id + "?wait=60s"));
                assertThat(done.path("state").asText()).as(done.toString()).isEqualTo("succeeded");
            }
            var still = Http.json(httpB.get("/v1/status")).path("leader");
            assertThat(still.path("term").asLong())
                    .as("the woken server did not take the lease back")
                    .isEqualTo(2);
        } finally {
            a.destroyForcibly().waitFor();
            if (b != null) {
                b.close();
            }
        }
    }

    private static FlowhostServer tryStart(Path dir, String url) {
        try {
            return FlowhostServer.start(ServerSettings.defaults(dir).withPort(0).withState(PostgresUrl.parse(url)));
        } catch (IllegalStateException refused) {
            return null; // A still holds the lease
        }
    }

    private Process startChild(Path dir, String url) throws IOException {
        var java = ProcessHandle.current().info().command().orElseThrow();
        var child = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ServerProcessMain.class.getName(),
                        dir.toString(),
                        url))
                .redirectErrorStream(true)
                .start();
        var reader = new BufferedReader(new InputStreamReader(child.getInputStream()));
        Thread.ofVirtual().start(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    outputOfA.add(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
        return child;
    }

    private int port(Process child) {
        var line = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> outputOfA.stream()
                                .filter(l -> l.startsWith("port="))
                                .findFirst()
                                .orElse(null),
                        Objects::nonNull);
        assertThat(child.isAlive()).isTrue();
        return Integer.parseInt(line.substring("port=".length()));
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        var kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
    }
}
