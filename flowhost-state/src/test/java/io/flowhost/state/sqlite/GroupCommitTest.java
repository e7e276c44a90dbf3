package io.flowhost.state.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.domain.request.Transitions;
import io.flowhost.state.RequestStoreException;
import io.flowhost.state.internal.Waiters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
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
 * (but a lease, at its commit, in a transaction ahead of the others), and nothing once the writer is closed; leases
 * read the queue ahead and remember what they leased, and neither shortcut decides anything the rows do not.
 */
class GroupCommitTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Result OK = new Result(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));

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

    @Test
    void aFlushThatFailsStillWakesThePollsOfTheRequestsItsBatchFinished() throws Exception {
        writer.close();
        var db = Schema.openWriter(dir.resolve("requests.db"));
        Schema.flushOffTheWriter(db, dir.resolve("requests.db")).close();
        var flushes = new AtomicInteger();
        var waiters = new Waiters(id -> Optional.of(request(id)));
        writer = new GroupCommit(
                db,
                WalSync.with(() -> {
                    if (flushes.incrementAndGet() == 2) {
                        throw new IOException("Input/output error");
                    }
                }),
                Depths.load(db),
                waiters);
        writer.submit(insert("a")).get(30, TimeUnit.SECONDS);
        writer.submitWithoutFlush(new Take("echo-v1", "w1", Duration.ofMinutes(1), 1, NOW))
                .get(30, TimeUnit.SECONDS);
        var poll = waiters.register("a");

        var answered = writer.submit(new Report("a", "w1", NOW, r -> Transitions.answered(r, OK, NOW)));

        assertThatThrownBy(() -> answered.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(RequestStoreException.class);
        assertThat(poll.get(30, TimeUnit.SECONDS).id())
                .as("woken, to read the committed row")
                .isEqualTo("a");
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

    @Test
    void leasesQueuedWithOtherWorksCommitFirstInATransactionOfTheirOwn() {
        var held = holdTheWriter();
        var insert = writer.submit(insert("a"));
        var lease = writer.submitWithoutFlush(batch -> batch.find("a").isPresent());
        release.countDown();

        held.join();
        assertThat(insert.join()).isEqualTo("a");
        assertThat(lease.join())
                .as("the lease, queued after the insert, ran before it")
                .isFalse();
        assertThat(writer.stats()[0])
                .as("commits: the held one, the lease's, then the insert's")
                .isEqualTo(3);
    }

    @Test
    void leasesInOneTransactionTakeTheQueueInArrivalOrderEachRequestOnce() {
        for (var id : List.of("a", "b", "c")) {
            writer.submit(insert(id)).join();
        }
        var held = holdTheWriter();
        var leases = List.of(take("w1", NOW), take("w2", NOW), take("w3", NOW), take("w4", NOW));
        release.countDown();

        held.join();
        assertThat(leases.stream().map(CompletableFuture::join).toList())
                .containsExactly(List.of("a"), List.of("b"), List.of("c"), List.of());
        assertThat(writer.stats()[0])
                .as("commits: the inserts, the held one, the leases")
                .isEqualTo(5);
    }

    @Test
    void aLeaseInATransactionThatAlsoWroteSomethingElseReadsTheQueueAgain() {
        for (var id : List.of("a", "b", "c")) {
            writer.submit(insert(id)).join();
        }
        var taken = writer.submitWithoutFlush(batch -> {
                    var first = new Take("echo-v1", "w1", Duration.ofMinutes(1), 1, NOW).run(batch);
                    new Cancel("b", NOW).run(batch); // b was read ahead with a
                    var second = new Take("echo-v1", "w2", Duration.ofMinutes(1), 1, NOW).run(batch);
                    var late = NOW.plus(Retention.defaults().queueTtl());
                    var third = new Take("echo-v1", "w3", Duration.ofMinutes(1), 1, late).run(batch);
                    return List.of(first, second, third);
                })
                .join();

        assertThat(taken.stream().map(ids -> ids.stream().map(AsyncRequest::id).toList()))
                .as("b was cancelled in between; c is past its queue TTL at the third lease's time")
                .containsExactly(List.of("a"), List.of("c"), List.of());
    }

    @Test
    void aRememberedLeaseWhoseTransactionRolledBackIsRefusedByTheRowItself() {
        writer.submit(insert("a")).join();
        var rolledBack = writer.submitWithoutFlush(batch -> {
            new Take("echo-v1", "w1", Duration.ofMinutes(1), 1, NOW).run(batch);
            throw new IllegalStateException("a bug after the lease");
        });
        assertThatThrownBy(rolledBack::join).cause().isInstanceOf(IllegalStateException.class);

        var reported = writer.submit(new Report("a", "w1", NOW, r -> Transitions.answered(r, OK, NOW)))
                .join();

        assertThat(reported).as("w1's lease never committed").isFalse();
        assertThat(writer.submit(batch -> batch.find("a").orElseThrow().state()).join())
                .isEqualTo(State.QUEUED);
    }

    @Test
    void aReportOnARememberedLeaseSavesTheTransitionAndARenewalKeepsTheLeaseGoing() {
        writer.submit(insert("a")).join();
        var leased = writer.submitWithoutFlush(new Take("echo-v1", "w1", Duration.ofMinutes(1), 1, NOW))
                .join()
                .getFirst();
        var later = NOW.plus(Duration.ofSeconds(50));
        var renewed = writer.submit(
                        new Report("a", "w1", later, r -> Transitions.renewed(r, Duration.ofMinutes(1), later)))
                .join();
        var pastTheFirstLease = NOW.plus(Duration.ofSeconds(90));

        var answered = writer.submit(
                        new Report("a", "w1", pastTheFirstLease, r -> Transitions.answered(r, OK, pastTheFirstLease)))
                .join();

        assertThat(renewed).isTrue();
        assertThat(answered).as("within the renewed lease").isTrue();
        var row = writer.submit(batch -> batch.find("a").orElseThrow()).join();
        assertThat(row.state()).isEqualTo(State.SUCCEEDED);
        assertThat(row.result().body()).isEqualTo(OK.body());
        assertThat(row.body())
                .as("the request's body, which the report does not write")
                .isEqualTo(leased.body());
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(writer.submit(new Report("a", "w1", pastTheFirstLease, r -> Transitions.answered(r, OK, NOW)))
                        .join())
                .as("reported twice")
                .isFalse();
    }

    private CompletableFuture<List<String>> take(String holder, Instant now) {
        return writer.submitWithoutFlush(new Take("echo-v1", holder, Duration.ofMinutes(1), 1, now))
                .thenApply(taken -> taken.stream().map(AsyncRequest::id).toList());
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
                new NewRequest("echo-v1", "echo", "echo", null, id.getBytes(StandardCharsets.UTF_8), "r", null, null),
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
