package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** A flowhost server in a JVM of its own ({@link ServerProcessMain}), for tests that pause or kill it. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final int port;

    private ServerProcess(Path dataDir, String stateUrl, List<String> jvmOptions) throws IOException {
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), ServerProcessMain.class.getName(), dataDir.toString()));
        if (stateUrl != null) {
            command.add(stateUrl);
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream()));
        Thread.ofVirtual().start(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
        var line = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> output.stream()
                                .filter(l -> l.startsWith("port="))
                                .findFirst()
                                .orElse(null),
                        Objects::nonNull);
        assertThat(process.isAlive()).as(String.join("\n", output)).isTrue();
        port = Integer.parseInt(line.substring("port=".length()));
    }

    /** Starts a server on a data dir and a PostgreSQL state, and returns once it listens (led or following). */
    static ServerProcess start(Path dataDir, String stateUrl) throws IOException {
        return new ServerProcess(dataDir, stateUrl, List.of());
    }

    /** Starts a server on a data dir and its own SQLite state, in a JVM with these options. */
    static ServerProcess start(Path dataDir, List<String> jvmOptions) throws IOException {
        return new ServerProcess(dataDir, null, jvmOptions);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    long pid() {
        return process.pid();
    }

    /** What it printed so far. */
    List<String> output() {
        return output;
    }

    /** Sends a signal ({@code STOP}, {@code CONT}, {@code KILL}). */
    void signal(String signal) throws IOException, InterruptedException {
        var kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertThat(kill.waitFor()).as("kill -" + signal).isZero();
    }

    /** Kills it with SIGKILL and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
