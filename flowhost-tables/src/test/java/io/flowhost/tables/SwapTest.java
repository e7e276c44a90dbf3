package io.flowhost.tables;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.table.KeyType;
import io.flowhost.state.sqlite.SqliteStateStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing while lookups run: each lookup reads one whole version, old or new, and none fails. */
class SwapTest {

    @TempDir
    Path dir;

    @Test
    void lookupsDuringTwentyPublishesAllSucceedAndNeverMixTwoVersions() throws Exception {
        try (var state = SqliteStateStore.open(dir.resolve("data"));
                var tables = new Tables(
                        dir.resolve("tables"),
                        state.tables(),
                        null,
                        () -> "http://127.0.0.1:9",
                        8 << 20,
                        InstantSource.system());
                var readers = Executors.newFixedThreadPool(3)) {
            publish(tables, 1);
            var stop = new AtomicBoolean();
            var lookups = new AtomicLong();
            var wrong = new ConcurrentLinkedQueue<String>();
            var running = new ArrayList<Future<?>>();
            for (int r = 0; r < 3; r++) {
                running.add(readers.submit(() -> {
                    while (!stop.get()) {
                        // both keys of one lookup hold the version's number: a mix would show two numbers
                        var found = tables.getAll("t", List.of("a", "b"));
                        var a = new String(found.get(0).value(), UTF_8);
                        var b = new String(found.get(1).value(), UTF_8);
                        if (!a.equals(b)
                                || !a.equals(Integer.toString(found.get(0).version()))) {
                            wrong.add("version " + found.get(0).version() + " answered a=" + a + " b=" + b);
                        }
                        lookups.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int n = 2; n <= 21; n++) {
                publish(tables, n);
            }
            stop.set(true);
            for (var f : running) {
                f.get(60, TimeUnit.SECONDS); // a lookup that threw fails here
            }

            assertThat(wrong).isEmpty();
            assertThat(lookups.get()).isPositive();
            assertThat(tables.get("t", "a").version()).isEqualTo(21);
        }
    }

    private static void publish(Tables tables, int n) throws Exception {
        var v = tables.begin("t", KeyType.STRING, "ci");
        assertThat(v.version()).isEqualTo(n);
        tables.put("t", n, new ByteArrayInputStream(("{\"a\": " + n + ", \"b\": " + n + "}").getBytes(UTF_8)));
        tables.publish("t", n, 2L);
    }
}
