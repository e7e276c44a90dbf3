package io.flowhost.state.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.request.State;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost when the server dies: a child JVM submits (and runs some requests) until it is killed
 * with SIGKILL, and every id it printed as acknowledged, or as done, is in the file afterwards.
 *
 * <p>SIGKILL leaves the OS page cache intact, so this proves that nothing is acknowledged before its commit; that the
 * commit is flushed before it is acknowledged ({@link WalSync}, {@code GroupCommitTest}) is what covers a power loss.
 */
class SigkillDurabilityTest {

    private static final int ACKS_BEFORE_KILL = 3000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRequestAndEveryStoredResultSurvivesASigkill() throws Exception {
        var file = dir.resolve("requests.db");
        var java = ProcessHandle.current().info().command().orElseThrow();
        var child = new ProcessBuilder(List.of(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SubmitUntilKilled.class.getName(),
                        file.toString(),
                        "16"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        var acked = new HashSet<String>();
        var done = new HashSet<String>();
        try (var out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                record(line, acked, done);
                if (acked.size() == ACKS_BEFORE_KILL) {
                    // SIGKILL mid-flight. Through the handle: Process.destroyForcibly would also close our end of the
                    // pipe, and the lines the child wrote just before dying must still be read.
                    child.toHandle().destroyForcibly();
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        assertThat(done).isNotEmpty();

        try (var store = SqliteRequestStore.open(file)) {
            store.recoverAfterRestart(Instant.now());
            for (var id : acked) {
                var r = store.get(id);
                assertThat(r).as("acknowledged request %s", id).isPresent();
                assertThat(r.get().state()).isIn(State.QUEUED, State.SUCCEEDED);
            }
            for (var id : done) {
                var r = store.get(id).orElseThrow();
                assertThat(r.state()).isEqualTo(State.SUCCEEDED);
                assertThat(r.result().body()).isEqualTo(r.body());
            }
        }
    }

    /** Takes only whole lines: the kill may cut the last one short. */
    private static void record(String line, Set<String> acked, Set<String> done) {
        if (line.matches("acked [A-Za-z0-9_-]{22}")) {
            acked.add(line.substring(6));
        } else if (line.matches("done [A-Za-z0-9_-]{22}")) {
            done.add(line.substring(5));
        }
    }
}
