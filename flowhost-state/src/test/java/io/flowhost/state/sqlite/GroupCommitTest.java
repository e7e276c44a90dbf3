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
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's batches: works that fail fail alone, nothing is acknowledged before a flush that began after its commit
 * (but a lease, at its commit), and nothing once the writer is closed.
 */
class GroupCommitTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dir;

    private GroupCommit writer;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void open() throws SQLException {
        var db = Schema.openWriter(dir.resolve("requests.db"));
        writer = new GroupCommit(
                db,
                Schema.flushOffTheWriter(db, dir.resolve("requests.db")),
                Depths.load(db),
                new Waiters(id -> Optional.empty()));
    }

    /** Replaces the writer by one whose flushes to disk are the given operation's. */
    private void flushingWith(WalSync.Force force) throws SQLException {
        writer.close();
        var db = Schema.openWriter(dir.resolve("requests.db"));
        Schema.flushOffTheWriter(db, dir.resolve("requests.db")).close();
        writer = new GroupCommit(db, WalSync.with(force), Depths.load(db), new Waiters(id -> Optional.empty()));
    }

    @Test
    void aWorkIsAcknowledgedOnlyOnceAFlushThatBeganAfterItsCommitHasReturned() throws Exception {
        var flushing = new CountDownLatch(1);
        var visibleWhenFlushed = new CopyOnWriteArrayList<Boolean>();
        flushingWith(() -> {
            try {
                visibleWhenFlushed.add(committed("first"));
            } catch (SQLException e) {
                throw new IOException(e);
            }
            flushing.countDown();
            await(release);
        });

        var first = writer.submit(insert("first"));
        await(flushing);
        assertThat(visibleWhenFlushed).as("the flush began after the commit").containsExactly(true);
        assertThat(first).as("committed, not yet on disk: not acknowledged").isNotDone();

        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("first");
    }

    @Test
    void aWorkWithoutFlushIsAcknowledgedAtItsCommitWhileAFlushIsStillRunning() throws Exception {
        var flushing = new CountDownLatch(1);
        flushingWith(() -> {
            flushing.countDown();
            await(release);
        });
        var durable = writer.submit(insert("durable"));
        await(flushing);

        var lease = writer.submitWithoutFlush(insert("lease"));

        assertThat(lease.get(30, TimeUnit.SECONDS)).isEqualTo("lease");
        assertThat(committed("lease")).isTrue();
        assertThat(durable).isNotDone();
        release.countDown();
        assertThat(durable.get(30, TimeUnit.SECONDS)).isEqualTo("durable");
    }

    @Test
    void aFlushThatFailsFailsTheWorksThatWaitedOnItAndTheNextFlushServesTheNext() throws Exception {
        var flushes = new AtomicInteger();
        flushingWith(() -> {
            if (flushes.incrementAndGet() == 1) {
                throw new IOException("Input/output error");
            }
        });

        var lost = writer.submit(insert("lost"));
        assertThatThrownBy(() -> lost.get(30, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(RequestStoreException.class)
                .hasMessage("cannot flush the requests database to disk: Input/output error");
        assertThat(writer.submit(insert("next")).get(30, TimeUnit.SECONDS)).isEqualTo("next");
    }

    /** Whether another connection, as a reader would, sees the request. */
    private boolean committed(String id) throws SQLException {
        try (var reader = Schema.openReader(dir.resolve("requests.db"));
                var st = reader.prepareStatement("SELECT COUNT(*) FROM requests WHERE id = ?")) {
            st.setString(1, id);
            try (var rs = st.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
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
