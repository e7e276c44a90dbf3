package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --state} takes sqlite or a PostgreSQL URL; anything else, or a database that is not there, stops at once. */
class StateFlagTest {

    @TempDir
    Path dataDir;

    private CommandsTest.Run server(String state) {
        return CommandsTest.run("server", "--port", "0", "--data-dir", dataDir.toString(), "--state", state);
    }

    @Test
    void anotherDatabaseSaysWhatIsExpected() {
        var run = server("mysql://db.internal/flowhost");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--state: expected sqlite").contains("postgresql://db.internal:5432/flowhost");
    }

    @Test
    void aUrlWithoutADatabaseNamesWhatIsMissing() {
        var run = server("postgresql://db.internal:5432");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("invalid setting: state:").contains("names no database");
    }

    @Test
    void aDatabaseThatIsNotThereStopsTheServerSayingWhereItLooked() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var run = server("postgresql://127.0.0.1:" + closedPort + "/flowhost?user=fh&password=hunter2");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err())
                .contains("cannot connect to the state database postgresql://127.0.0.1:" + closedPort)
                .doesNotContain("hunter2");
    }
}
