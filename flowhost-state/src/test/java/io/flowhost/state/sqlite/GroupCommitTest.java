package io.flowhost.state.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.domain.request.Transitions;
import io.flowhost.state.RequestStoreException;
import io.flowhost.state.internal.Waiters;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's batches: works that fail fail alone, and nothing is acknowledged once the writer is closed. */
class GroupCommitTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private GroupCommit writer;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void open() throws SQLException {
        var db = Schema.openWriter(dir.resolve("requests.db"));
        writer = new GroupCommit(db, Depths.load(db), new Waiters(id -> Optional.empty()));
    }

    @AfterEach
    void close() {
        release.countDown();
        writer.close();
    }

    @Test
    void aWorkThatFailsInABatchFailsAloneAndTheOthersCommit() {
        var held = holdTheWriter();
        var first = writer.submit(insert("first"));
        CompletableFuture<Object> broken = writer.submit(batch -> {
            batch.insert(request("broken"), null);
            throw new IllegalStateException("a bug after writing");
        });
        var last = writer.submit(insert("last"));
        release.countDown();

        held.join();
        assertThat(first.join()).isEqualTo("first");
        assertThat(last.join()).isEqualTo("last");
        assertThatThrownBy(broken::join).cause().isInstanceOf(IllegalStateException.class);
        assertThat(ids()).containsExactlyInAnyOrder("first", "last");
    }

    @Test
    void aRefusedWorkFailsAloneWithoutRollingBackItsBatch() {
        var held = holdTheWriter();
        var first = writer.submit(insert("first"));
        var refused = writer.submit(batch -> {
            throw new QueueFullException("echo-v1", 1);
        });
        var last = writer.submit(insert("last"));
        release.countDown();

        held.join();
        assertThat(first.join()).isEqualTo("first");
        assertThat(last.join()).isEqualTo("last");
        assertThatThrownBy(refused::join).cause().isInstanceOf(QueueFullException.class);
        assertThat(writer.stats()[0])
                .as("commits: the held one, then the three together")
                .isEqualTo(2);
    }

    @Test
    void aClosedWriterRefusesWork() {
        writer.close();

        assertThatThrownBy(() -> writer.submit(insert("late")).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(RequestStoreException.class)
                .hasMessage("the request store is closed");
    }

    /** A work that keeps the writer busy until released, so the next ones queue up into one batch. */
    private CompletableFuture<Object> holdTheWriter() {
        var started = new CountDownLatch(1);
        CompletableFuture<Object> held = writer.submit(batch -> {
            started.countDown();
            await(release);
            return null;
        });
        await(started);
        return held;
    }

    private static GroupCommit.Work<String> insert(String id) {
        return batch -> {
            batch.insert(request(id), null);
            return id;
        };
    }

    private static AsyncRequest request(String id) {
        return Transitions.accepted(
                id,
                new NewRequest("echo-v1", "echo", "echo", null, new byte[0], "r", null, null),
                Retention.defaults(),
                NOW);
    }

    private List<String> ids() {
        return writer.submit(batch -> batch.select("ORDER BY seq", st -> {}).stream()
                        .map(AsyncRequest::id)
                        .toList())
                .join();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
