package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.state.contract.TempStore;
import io.flowhost.state.sqlite.SqliteRequestStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The leader's sweep tick against a real SQLite store: a backlog of old requests goes in one tick, not one batch. */
class RequestSweepTest {

    private static final Retention SHORT = Retention.defaults().with(Map.of("queue-ttl", "10m", "result-ttl", "1h"));
    private static final int REQUESTS = 2600;
    /** Far more than three batches take: what bounds a tick is tested on its own. */
    private static final Duration AMPLE = Duration.ofMinutes(1);

    @RegisterExtension
    final TempStore temp = new TempStore(place -> SqliteRequestStore.open(place.resolve("requests.db")));

    @BeforeEach
    void backlog() {
        CompletableFuture.allOf(IntStream.range(0, REQUESTS)
                        .mapToObj(i -> temp.store()
                                .submit(
                                        temp.call("echo-v1"),
                                        SHORT,
                                        temp.clock().instant()))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    @Test
    void oneTickExpiresAndLaterDeletesMoreThanABatch() {
        var store = temp.store();

        assertThat(FlowhostServer.sweepRequests(store, temp.clock().advance(Duration.ofMinutes(10)), AMPLE))
                .isEqualTo(REQUESTS);
        assertThat(store.queued("echo-v1")).isZero();

        assertThat(FlowhostServer.sweepRequests(store, temp.clock().advance(Duration.ofHours(1)), AMPLE))
                .isEqualTo(REQUESTS);
        assertThat(store.list("echo", Set.of(), 10)).isEmpty();
    }

    @Test
    void aTickStopsAtItsBudget() {
        var store = temp.store();

        assertThat(FlowhostServer.sweepRequests(store, temp.clock().advance(Duration.ofMinutes(10)), Duration.ZERO))
                .as("one batch, then the budget is spent")
                .isEqualTo(1000);
        assertThat(store.queued("echo-v1")).isEqualTo(REQUESTS - 1000);
    }
}
