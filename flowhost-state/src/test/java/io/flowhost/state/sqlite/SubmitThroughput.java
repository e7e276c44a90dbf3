package io.flowhost.state.sqlite;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.NewRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A throughput check to run by hand (not a test): 64 threads submit durable requests for 10 s, each waiting for its
 * acknowledgement before the next, then it prints accepted/s, submit latency p50/p99 and the mean group-commit size.
 *
 * <pre>{@code
 * java -cp flowhost-server/target/classes:flowhost-server/target/test-classes:$(cat cp.txt) \
 *     io.flowhost.state.sqlite.SubmitThroughput [threads] [seconds] [body-bytes]
 * }</pre>
 */
public final class SubmitThroughput {

    private SubmitThroughput() {}

    /** Runs the check and prints its numbers. */
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int bodyBytes = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        var dir = Files.createTempDirectory("flowhost-throughput");
        var body = new byte[bodyBytes];
        Arrays.fill(body, (byte) 'x');
        // the default max-queued (100000) fills within seconds here: this measures accepting, not the limit
        var retention = Retention.defaults().with(Map.of("max-queued", "10000000"));
        var latencies = new ArrayList<long[]>();
        var stop = new AtomicBoolean();
        var ready = new CountDownLatch(threads);
        try (var store = SqliteRequestStore.open(dir.resolve("requests.db"))) {
            var workers = new ArrayList<Thread>();
            for (int t = 0; t < threads; t++) {
                var mine = new long[2_000_000];
                latencies.add(mine);
                int thread = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    ready.countDown();
                    int n = 0;
                    while (!stop.get() && n < mine.length - 1) {
                        long start = System.nanoTime();
                        store.submit(
                                        new NewRequest(
                                                "bench-v1",
                                                "bench",
                                                "echo",
                                                "application/json",
                                                body,
                                                "req-" + thread + "-" + n,
                                                null,
                                                null),
                                        retention,
                                        Instant.now())
                                .join();
                        mine[++n] = System.nanoTime() - start;
                    }
                    mine[0] = n; // slot 0 holds the count
                }));
            }
            ready.await();
            long began = System.nanoTime();
            Thread.sleep(Duration.ofSeconds(seconds));
            stop.set(true);
            for (var w : workers) {
                w.join();
            }
            double elapsed = (System.nanoTime() - began) / 1e9;
            report(latencies, elapsed, threads, bodyBytes, store.writerStats());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void report(ArrayList<long[]> latencies, double elapsed, int threads, int bodyBytes, long[] writer) {
        int total = latencies.stream().mapToInt(l -> (int) l[0]).sum();
        var all = new long[total];
        int i = 0;
        for (var l : latencies) {
            System.arraycopy(l, 1, all, i, (int) l[0]);
            i += (int) l[0];
        }
        Arrays.sort(all);
        System.out.printf(
                "threads=%d body=%dB accepted=%d in %.1fs -> %.0f/s; latency p50=%.2fms p99=%.2fms "
                        + "max=%.2fms; %d commits, %.1f submits per commit%n",
                threads,
                bodyBytes,
                total,
                elapsed,
                total / elapsed,
                all[total / 2] / 1e6,
                all[(int) (total * 0.99)] / 1e6,
                all[total - 1] / 1e6,
                writer[0],
                (double) writer[1] / writer[0]);
    }
}
