package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callbacks are allowed by origin: an entry that is not one, or the old host-wide flag, stops the server at once. */
class CallbackOriginFlagTest {

    @TempDir
    Path dataDir;

    @Test
    void anEntryThatIsNotAnOriginExitsWithTwoSayingWhatIsExpected() {
        var run = CommandsTest.run(
                "server", "--port", "0", "--data-dir", dataDir.toString(), "--callback-origin", "hooks.internal");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("invalid setting: callback-origin: 'hooks.internal' is not an origin")
                .contains("e.g. http://hooks.internal:8080");
    }

    @Test
    void theOldHostWideFlagSaysWhatToGiveInstead() {
        var run = CommandsTest.run(
                "server", "--port", "0", "--data-dir", dataDir.toString(), "--callback-host", "hooks.internal");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("--callback-host is now --callback-origin")
                .contains("--callback-origin http://hooks.internal:8080");
    }
}
