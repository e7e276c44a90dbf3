package io.flowhost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dflowhost.transport} names the gateway's event-loop transport; one that does not exist stops
 * {@code flowhost server} at once with a line saying what to write, not a stack trace. A JVM of its own: the property
 * is read once per JVM.
 */
class TransportPropertyTest {

    @TempDir
    Path dir;

    @Test
    void anUnknownTransportStopsTheServerSayingWhichOnesThereAre() throws Exception {
        var java = ProcessHandle.current().info().command().orElseThrow();
        var process = new ProcessBuilder(List.of(
                        java,
                        "-Dflowhost.transport=bogus",
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "server",
                        "--port",
                        "0",
                        "--data-dir",
                        dir.resolve("data").toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("the server stopped by itself")
                .isTrue();

        assertThat(process.exitValue()).as(err).isEqualTo(1);
        assertThat(err)
                .contains("flowhost: -Dflowhost.transport=bogus: unknown transport (expected: epoll, io_uring or nio)")
                .doesNotContain("\tat ");
    }
}
