package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.flowhost.alerts.AlertSettings;
import io.flowhost.alerts.AlertStatus;
import io.flowhost.alerts.AlertsJson;
import io.flowhost.alerts.RuleKind;
import io.flowhost.alerts.State;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowhost alerts} against a real HTTP server answering {@code /v1/alerts}, and its export. */
class AlertsCommandTest {

    @TempDir
    Path dir;

    private HttpServer server;

    /** Runs {@code flowhost alerts ...} as a user types it, through the real command line. */
    static CommandsTest.Run run(String... args) {
        var all = new String[args.length + 1];
        all[0] = "alerts";
        System.arraycopy(args, 0, all, 1, args.length);
        return CommandsTest.run(all);
    }

    /** A server on port 0 answering {@code GET /v1/alerts} with these alerts and the default rules. */
    private String serve(List<AlertStatus> alerts) throws IOException {
        var body = AlertsJson.of(alerts, AlertSettings.defaults().rules())
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/alerts", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void listsTheAlertsFiringFirstWithTheirValueAndSummary() throws IOException {
        var now = Instant.now();
        var url = serve(List.of(
                new AlertStatus(
                        "FlowhostCallsHeld",
                        RuleKind.HELD_CALLS,
                        "iris",
                        "warning",
                        State.PENDING,
                        80.0,
                        50,
                        now.minusSeconds(20),
                        "iris: 80 calls held, waiting for an instance"),
                new AlertStatus(
                        "FlowhostLatencyP99High",
                        RuleKind.P99_LATENCY,
                        "echo",
                        "warning",
                        State.FIRING,
                        1.25,
                        1,
                        now.minusSeconds(200),
                        "echo: p99 latency 1.25s over 5m")));
        var run = run("--server", url);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).hasSize(3);
        assertThat(run.out().lines().toList().get(0)).startsWith("STATE     RULE");
        assertThat(run.out().lines().toList().get(1))
                .matches("firing +FlowhostLatencyP99High +echo +warning +1\\.25s "
                        + "+3m2[01]s +echo: p99 latency 1\\.25s over 5m");
        assertThat(run.out().lines().toList().get(2))
                .matches("pending +FlowhostCallsHeld +iris +warning +80 +2[01]s "
                        + "+iris: 80 calls held, waiting for an instance");
    }

    @Test
    void saysSoWhenNothingIsPendingOrFiring() throws IOException {
        var run = run("--server", serve(List.of()));
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .isEqualTo("no alerts: 6 rules evaluated, none pending or firing ('flowhost alerts "
                        + "--rules' lists them)\n");
    }

    @Test
    void listsTheRulesTheServerEvaluates() throws IOException {
        var run = run("--server", serve(List.of()), "--rules");
        assertThat(run.out())
                .contains("FlowhostErrorRatioHigh       (every)        critical   error-ratio > 5% over 5m for 2m");
        assertThat(run.out().lines()).hasSize(7);
    }

    @Test
    void printsTheServersJsonWhenAsked() throws IOException {
        var run = run("--server", serve(List.of()), "--json");
        assertThat(run.out()).contains("\"alerts\" : [ ]").contains("\"name\" : \"FlowhostInstanceCrashLoop\"");
    }

    @Test
    void withoutAServerSaysHowToStartOne() throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var run = run("--server", "http://127.0.0.1:" + port);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("flowhost: no flowhost server at http://127.0.0.1:" + port);
    }

    @Test
    void exportsTheBuiltInRulesForPrometheus() {
        var run = run("export", "--prometheus");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("groups:\n  - name: flowhost\n    rules:\n      - alert: FlowhostErrorRatioHigh\n");
        assertThat(run.out().lines().filter(l -> l.startsWith("      - alert: ")))
                .hasSize(6);
    }

    @Test
    void exportsTheRulesOfAGivenFile() throws IOException {
        var file = Files.writeString(dir.resolve("alerts.json"), """
                {"rules": [{"name": "EchoSlow", "kind": "p99-latency", "service": "echo", "threshold": "250ms",
                            "window": "1m", "for": "2m"}]}
                """);
        var run = run("export", "--prometheus", "--rules", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("      - alert: EchoSlow\n        expr: 'histogram_quantile(0.99, sum by "
                        + "(service, le) (rate(flowhost_calls_seconds_bucket{service=\"echo\"}[1m]))) > 0.25'\n"
                        + "        for: 2m\n");
    }

    @Test
    void aBadRulesFileIsAUsageErrorThatSaysWhatIsWrong() throws IOException {
        var file = Files.writeString(dir.resolve("alerts.json"), """
                {"rules": [{"name": "EchoSlow", "kind": "p99-latency", "threshold": 0.25, "window": "1m"}]}
                """);
        var run = run("export", "--prometheus", "--rules", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("flowhost: " + file + ": rule EchoSlow: threshold: 0.25 (expected: a duration "
                        + "such as 500ms for p99-latency)\n");
    }

    @Test
    void exportNeedsAFormat() {
        var run = run("export");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required option: '--prometheus'");
    }

    @Test
    void printsTheBuiltInSettingsToStartFrom() throws IOException {
        var run = run("defaults");
        var file = Files.writeString(dir.resolve("alerts.json"), run.out());
        assertThat(AlertSettings.load(file)).isEqualTo(AlertSettings.defaults());
    }
}
