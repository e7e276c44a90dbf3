package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowhost simulate} as a user types it, with the output captured. */
class SimulateCommandTest {

    @TempDir
    Path dir;

    /** Runs {@code flowhost simulate ...} as a user types it, through the real command line. */
    static CommandsTest.Run run(String... args) {
        var all = new String[args.length + 1];
        all[0] = "simulate";
        System.arraycopy(args, 0, all, 1, args.length);
        return CommandsTest.run(all);
    }

    private Path trace(String text) throws IOException {
        return Files.writeString(dir.resolve("trace.csv"), text);
    }

    @Test
    void printsTheReportAsAnAlignedTable() throws IOException {
        var run =
                run("--trace", trace("arrival_seconds,duration_seconds\n0,2\n").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("settings: min-instances=0 max-instances=4")
                .containsPattern("(?m)^requests +1$")
                .containsPattern("(?m)^cold starts +1$")
                .containsPattern("(?m)^queueing delay max +1\\.000 s$")
                .containsPattern("(?m)^instance-seconds +303\\.0$")
                .containsPattern("(?m)^  always 4 instances +1,212\\.0  \\(autoscaling saves 75\\.0%\\)$");
        var rows = Pattern.compile("(?m)^(requests|peak held calls|  always 4 instances) +");
        var valueColumns = rows.matcher(run.out())
                .results()
                .map(m -> m.end() - m.start())
                .distinct()
                .toList();
        assertThat(valueColumns).hasSize(1); // the values of all three rows start in one column
    }

    @Test
    void settingsOptionsReachTheSimulation() throws IOException {
        var run = run(
                "--trace",
                trace("0,2\n").toString(),
                "--idle-timeout",
                "1m",
                "--cold-start",
                "500ms",
                "--max-instances",
                "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("idle-timeout=60s")
                .contains("cold start 500ms")
                .containsPattern("(?m)^queueing delay max +500 ms$")
                // Ready at 0.5 s, the call runs to 2.5 s, seen ended at the 3 s tick: the instance stops at 63 s.
                .containsPattern("(?m)^instance-seconds +63\\.0$");
    }

    @Test
    void jsonIsMachineReadable() throws IOException {
        var run = run("--trace", trace("0,2\n").toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        var json = new ObjectMapper().readTree(run.out());
        assertThat(json.path("settings").path("idle-timeout").asText()).isEqualTo("5m");
        assertThat(json.path("report").path("coldStarts").asLong()).isEqualTo(1);
        assertThat(json.path("report").path("instanceSeconds").asDouble()).isEqualTo(303.0);
        assertThat(json.path("savings").asDouble()).isEqualTo(0.75);
    }

    @Test
    void anInvalidSettingExitsWithTwoAndTheValidationMessage() throws IOException {
        var run = run("--trace", trace("0,2\n").toString(), "--idle-timeout", "0s");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("flowhost: invalid setting: idle-timeout: 0s (expected: >= 1s)");
    }

    @Test
    void settingsThatContradictEachOtherAreNamed() throws IOException {
        var run = run("--trace", trace("0,2\n").toString(), "--min-instances", "5");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("min-instances: 5 (expected: <= max-instances (4))");
    }

    @Test
    void aBadTickIsRefused() throws IOException {
        var run = run("--trace", trace("0,2\n").toString(), "--tick", "soon");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("tick: 'soon' (expected: a duration such as 500ms, 1s, 2m)");
    }

    @Test
    void aMalformedTraceNamesTheLine() throws IOException {
        var run = run(
                "--trace", trace("arrival_seconds,duration_seconds\n0,2\n1;2\n").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("trace.csv line 3: '1;2' (expected: arrival_seconds,duration_seconds");
    }

    @Test
    void aMissingTraceIsNamed() {
        var run = run("--trace", dir.resolve("nope.csv").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no trace file").contains("nope.csv");
    }

    @Test
    void theTraceIsRequired() {
        var run = run("--idle-timeout", "1m");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--trace=FILE'");
    }

    @Test
    void replaysAShippedTrace() {
        var run = run("--trace", "../bench/traces/spiky.csv");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("(?m)^requests +10,\\d{3}$").containsPattern("(?m)^panics +[1-9]");
    }
}
