package io.flowhost.state.sqlite;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The child process of {@link SigkillDurabilityTest}: submits from several threads and leases and completes some,
 * printing {@code acked <id>} once a submit's future completed and {@code done <id>} once a result was stored, until
 * it is killed.
 */
public final class SubmitUntilKilled {

    private SubmitUntilKilled() {}

    /** Arguments: the database file and the number of submitting threads. */
    public static void main(String[] args) {
        var store = SqliteRequestStore.open(Path.of(args[0]));
        int threads = Integer.parseInt(args[1]);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread.ofPlatform().start(() -> {
                for (int i = 0; ; i++) {
                    var call = new NewRequest(
                            "echo-v1",
                            "echo",
                            "echo",
                            "application/json",
                            ("{\"t\":" + thread + ",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                            "req-" + thread + "-" + i,
                            null,
                            null);
                    var id = store.submit(call, Retention.defaults(), Instant.now())
                            .join()
                            .request()
                            .id();
                    print("acked " + id);
                }
            });
        }
        Thread.ofPlatform().start(() -> {
            for (long n = 0; ; n++) {
                var holder = "worker-" + n;
                var leased = store.lease("echo-v1", holder, Duration.ofHours(1), Instant.now());
                // every other one finishes; the rest stay RUNNING, as if their instances were still busy
                if (leased.isPresent() && n % 2 == 0) {
                    var r = leased.get();
                    if (store.complete(r.id(), holder, new Result(200, "application/json", r.body()), Instant.now())) {
                        print("done " + r.id());
                    }
                }
            }
        });
        print("started");
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
