package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowhost.server.FlowhostServer;
import io.flowhost.server.ServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowhost tokens} against a real server, and every command presenting {@code --token}. */
@Tag("e2e")
class TokensCommandTest {

    @TempDir
    Path dataDir;

    private FlowhostServer server;
    private String url;

    @BeforeEach
    void start() {
        server = FlowhostServer.start(ServerSettings.defaults(dataDir).withPort(0));
        url = server.uri().toString();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theFirstTokenIsMadeFreelyThenEveryCommandNeedsOneAndARevokedOneStopsWorking() {
        assertThat(CommandsTest.run("tokens", "list", "--server", url).out()).contains("(no tokens");

        var made = CommandsTest.run("tokens", "create", "--scope", "admin", "--name", "root", "--server", url);
        assertThat(made.exitCode()).as(made.err()).isZero();
        var admin = made.out().strip();
        assertThat(admin).matches("fh_[A-Za-z0-9_-]{43}");
        assertThat(made.err()).contains("Copy it now").contains("FLOWHOST_TOKEN");

        var refused = CommandsTest.run("list", "--server", url);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("401 Unauthorized").contains("FLOWHOST_TOKEN");

        var reader = CommandsTest.run(
                        "tokens",
                        "create",
                        "--scope",
                        "read",
                        "--name",
                        "dash",
                        "--expires",
                        "30d",
                        "--server",
                        url,
                        "--token",
                        admin)
                .out()
                .strip();
        assertThat(CommandsTest.run("list", "--server", url, "--token", reader).exitCode())
                .isZero();
        var tooLittle = CommandsTest.run("undeploy", "echo-v1", "--server", url, "--token", reader);
        assertThat(tooLittle.err()).contains("403 Forbidden").contains("this needs deploy");
        assertThat(CommandsTest.run("tokens", "list", "--server", url, "--token", admin)
                        .out())
                .contains("dash")
                .contains("read")
                .contains("root")
                .doesNotContain(reader);

        assertThat(CommandsTest.run("tokens", "revoke", "dash", "--server", url, "--token", admin)
                        .out())
                .contains("Revoked dash");
        assertThat(CommandsTest.run("list", "--server", url, "--token", reader).err())
                .contains("401");
    }

    @Test
    void theFirstTokenOfAServerBeyondLoopbackIsMadeInItsDataDirBeforeItStarts(@TempDir Path otherDir) {
        var made = CommandsTest.run(
                "tokens", "create", "--scope", "admin", "--name", "root", "--data-dir", otherDir.toString());
        assertThat(made.exitCode()).as(made.err()).isZero();
        var root = made.out().strip();

        try (var open = FlowhostServer.start(
                ServerSettings.defaults(otherDir).withPort(0).withHost("0.0.0.0"))) {
            var there = open.uri().toString();
            assertThat(CommandsTest.run("list", "--server", there).err()).contains("401");
            assertThat(CommandsTest.run("list", "--server", there, "--token", root)
                            .exitCode())
                    .isZero();
        }
        var twice = CommandsTest.run(
                "tokens", "create", "--scope", "read", "--name", "root", "--data-dir", otherDir.toString());
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.err()).contains("'root' exists already");
    }

    @Test
    void aTokenWithAQuotaIsListedWithItAndTheAuditTrailShowsWhoDidWhat() {
        var admin = CommandsTest.run("tokens", "create", "--scope", "admin", "--name", "root", "--server", url)
                .out()
                .strip();
        var batch = CommandsTest.run(
                "tokens",
                "create",
                "--scope",
                "invoke:echo",
                "--name",
                "batch",
                "--rate",
                "600/min",
                "--burst",
                "20",
                "--server",
                url,
                "--token",
                admin);
        assertThat(batch.exitCode()).as(batch.err()).isZero();
        assertThat(batch.err()).contains("quota 10/s burst 20");
        assertThat(CommandsTest.run("tokens", "list", "--server", url, "--token", admin)
                        .out())
                .containsPattern("batch +invoke:echo .* 10/s burst 20");
        var badRate = CommandsTest.run(
                "tokens",
                "create",
                "--scope",
                "read",
                "--name",
                "x",
                "--rate",
                "fast",
                "--server",
                url,
                "--token",
                admin);
        assertThat(badRate.exitCode()).isNotZero();
        assertThat(badRate.err()).contains("rate: 'fast'");

        // the trail is written by a thread of its own, within moments
        await().atMost(Duration.ofSeconds(30))
                .until(() -> CommandsTest.run("audit", "--server", url, "--token", admin)
                        .out()
                        .contains("failed 400"));
        var audit = CommandsTest.run("audit", "--since", "1h", "--server", url, "--token", admin);
        assertThat(audit.exitCode()).as(audit.err()).isZero();
        assertThat(audit.out())
                .startsWith("TIME")
                .containsPattern("root +127.0.0.1 +token.create +batch +ok 201")
                .containsPattern("root +127.0.0.1 +token.create +x +failed 400 +rate: 'fast'");
        assertThat(CommandsTest.run("audit", "--since", "soon", "--server", url, "--token", admin)
                        .err())
                .contains("since 'soon'");
    }
}
