package io.flowhost.server.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How much of the machine an instance uses, read at scrape time: CPU and resident memory from the
 * process's {@code /proc} entries, heap (and its prediction-logging and dropped-span counters) from
 * the instance's own {@code /healthz}. Unknown values are -1.
 */
public final class InstanceUsage {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** CPU seconds (user + system) the process has used, or -1. */
    public double cpuSeconds(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND; // utime, stime
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident memory of the process, in bytes, or -1. */
    public long rssBytes(long pid) {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * What an instance's {@code /healthz} reports (-1 where unknown): heap in use, the predictions it
     * logged, dropped (its buffer was full) and failed to log (a logger threw), and the spans its
     * tracing dropped (the export queue was full), since it started.
     */
    public record Health(
            long heapUsedBytes,
            long predictionsLogged,
            long predictionsDropped,
            long predictionLogErrors,
            long spansDropped) {
        static final Health UNKNOWN = new Health(-1, -1, -1, -1, -1);
    }

    /** What the instance's {@code /healthz} reports, or {@link Health#UNKNOWN}'s -1s. */
    public Health health(InetSocketAddress address) {
        try {
            var response = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    "http://" + address.getHostString() + ":" + address.getPort() + "/healthz"))
                            .timeout(Duration.ofSeconds(1))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            var body = json.readTree(response.body());
            var predictions = body.path("predictions");
            return new Health(
                    body.path("heapUsedBytes").asLong(-1),
                    predictions.path("logged").asLong(-1),
                    predictions.path("dropped").asLong(-1),
                    predictions.path("failed").asLong(-1),
                    body.path("spans").path("dropped").asLong(-1));
        } catch (IOException | RuntimeException e) {
            return Health.UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.UNKNOWN;
        }
    }
}
