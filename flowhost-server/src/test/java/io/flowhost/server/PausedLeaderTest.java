package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.state.postgres.PostgresUrl;
import io.flowhost.state.postgres.TestPostgres;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader paused past its lease (SIGSTOP, as a network partition or a long GC would) is replaced, and once it
 * wakes it does not act as the leader again: it finds its term over, stops its loops, its alert rules and its
 * instances, and follows the new leader, every call through it answered meanwhile; and should that leader go, it
 * leads again. Real processes and a real PostgreSQL.
 */
@Tag("e2e")
class PausedLeaderTest {

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    @Test
    void aPausedLeaderIsReplacedAndOnWakingStopsActingAsTheLeader() throws Exception {
        var url = TestPostgres.shared().newDatabase();
        var a = ServerProcess.start(dirA, url);
        FlowhostServer b = null;
        try {
            var httpA = new Http(a.uri());
            var deployed = httpA.deploy(TestJars.exampleBytes("echo"), "");
            assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(201);

            assertThat(threads(a.pid()))
                    .as("the leader evaluates the alert rules")
                    .contains("\"flowhost-alerts\"");

            a.signal("STOP");
            // A's lease runs out about 10 s after its last renewal; until then B follows, and then it leads.
            b = FlowhostServer.start(TestSettings.defaults(dirB).withState(PostgresUrl.parse(url)));
            await().atMost(Duration.ofSeconds(60)).until(b::leads);
            var httpB = new Http(b.uri());
            var leader = Http.json(httpB.get("/v1/status")).path("leader");
            assertThat(leader.path("holder").asText()).endsWith(" " + b.listening());
            assertThat(leader.path("term").asLong()).isEqualTo(2);

            a.signal("CONT");
            // Calls through it all along, as it finds its term over and hands its routes to the new leader's
            // instances: none may find the service unknown or fail while its own instances stop.
            var answers = new ConcurrentLinkedQueue<String>();
            var calling = new AtomicBoolean(true);
            var caller = Thread.ofVirtual().start(() -> {
                while (calling.get()) {
                    try {
                        var r = httpA.postJson("/v1/services/echo/echo", "{\"through\": \"the old leader\"}");
                        answers.add(r.statusCode() + " " + r.body());
                    } catch (Exception e) {
                        answers.add("no answer: " + e);
                    }
                }
            });
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> a.output().stream().anyMatch(line -> line.contains("lost the lead of its state")));
            // It stops its own instances, nobody's now, and follows: calls through it reach the new leader's.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ProcessHandle.of(a.pid())
                                    .map(p -> p.children().count())
                                    .orElse(0L)
                            == 0);
            // Nor does it evaluate the alert rules any more: the new leader does, and two would notify twice.
            await().atMost(Duration.ofSeconds(30)).until(() -> !threads(a.pid()).contains("\"flowhost-alerts\""));
            var after = answers.size();
            await().atMost(Duration.ofSeconds(30)).until(() -> answers.size() > after);
            calling.set(false);
            caller.join();
            assertThat(answers).isNotEmpty().allMatch(answer -> answer.startsWith("200 "));

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

            // Should the new leader go too, the old one leads again, in a third term: its loops and alert rules
            // run, and its own instances answer, sync and async.
            b.close();
            b = null;
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Http.json(httpA.get("/v1/status"))
                                    .path("leader")
                                    .path("term")
                                    .asLong()
                            == 3);
            var again = Http.json(httpA.get("/v1/status")).path("leader");
            assertThat(again.path("holder").asText()).endsWith(":" + a.uri().getPort());
            assertThat(threads(a.pid())).contains("\"flowhost-alerts\"");
            var sync = httpA.postJson("/v1/services/echo/echo", "{\"led\": \"again\"}");
            assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
            var queued = httpA.send(httpA.request("/v1/services/echo/echo")
                    .header("Content-Type", "application/json")
                    .header("Prefer", "respond-async")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"led\": \"again\"}")));
            assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);
            var ran = Http.json(
                    httpA.get("/v1/requests/" + Http.json(queued).path("id").asText() + "?wait=60s"));
            assertThat(ran.path("state").asText()).as(ran.toString()).isEqualTo("succeeded");
        } finally {
            a.kill();
            if (b != null) {
                b.close();
            }
        }
    }

    /** The threads of a JVM, as {@code jcmd <pid> Thread.print} lists them. */
    private static String threads(long pid) throws Exception {
        var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        var process = new ProcessBuilder(jcmd, Long.toString(pid), "Thread.print")
                .redirectErrorStream(true)
                .start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }
}
