package io.flowhost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowhost logs [service] [-f] [--since 10m] [--status 5xx]}: the request log. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = {
            "Print the request log: one JSON line per call, with its status, latency and where the time went.",
            "Reads <data-dir>/logs/requests.log (and its rotated files) of a server on this machine."
        })
final class LogsCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "SERVICE", arity = "0..1", description = "Only this service's calls.")
    String service;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new calls as they are logged (Ctrl-C to stop).")
    boolean follow;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only calls from the last DURATION, e.g. 10m.")
    Duration since;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "Only calls with this status (404) or class (5xx).")
    String status;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "The server's data dir (default: $FLOWHOST_DATA_DIR, else ~/.flowhost).")
    Path dataDir;

    @Override
    public void run() {
        var dir = (dataDir != null ? dataDir : ServerOptions.defaultDataDir()).resolve("logs");
        var current = dir.resolve("requests.log");
        if (!Files.exists(current)) {
            throw new CliException("no request log at " + current + ": is the server's --data-dir somewhere else?", 2);
        }
        var cutoff = since == null ? Instant.MIN : Instant.now().minus(since);
        try {
            var files = new ArrayList<Path>();
            for (int i = 9; i >= 1; i--) {
                var older = dir.resolve("requests.log." + i);
                if (Files.exists(older)) {
                    files.add(older);
                }
            }
            files.add(current);
            for (var file : files) {
                for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    print(line, cutoff);
                }
            }
            if (follow) {
                follow(current, Files.size(current), cutoff);
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + current + ": " + e.getMessage());
        }
    }

    private void follow(Path file, long from, Instant cutoff) throws IOException {
        long position = from;
        var pending = new StringBuilder();
        while (true) {
            long size = Files.size(file);
            if (size < position) {
                position = 0; // rotated: the new file starts afresh
            }
            if (size > position) {
                try (var raf = new RandomAccessFile(file.toFile(), "r")) {
                    raf.seek(position);
                    var bytes = new byte[(int) (size - position)];
                    raf.readFully(bytes);
                    position = size;
                    pending.append(new String(bytes, StandardCharsets.UTF_8));
                }
                int newline;
                while ((newline = pending.indexOf("\n")) >= 0) {
                    print(pending.substring(0, newline), cutoff);
                    pending.delete(0, newline + 1);
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void print(String line, Instant cutoff) {
        if (line.isBlank()) {
            return;
        }
        try {
            var call = JSON.readTree(line);
            if (matches(call, cutoff)) {
                System.out.println(line);
            }
        } catch (IOException e) {
            // a torn last line while the server writes it: skip it
        }
    }

    boolean matches(JsonNode call, Instant cutoff) {
        if (service != null && !service.equals(call.path("service").asText())) {
            return false;
        }
        if (status != null) {
            var code = call.path("status").asText();
            boolean ok = status.endsWith("xx") ? code.startsWith(status.substring(0, 1)) : code.equals(status);
            if (!ok) {
                return false;
            }
        }
        return cutoff == Instant.MIN
                || !Instant.parse(call.path("time").asText()).isBefore(cutoff);
    }
}
