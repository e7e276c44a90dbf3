package io.flowhost.state.sqlite;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.RequestIds;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.domain.request.Submitted;
import io.flowhost.domain.request.Transitions;
import io.flowhost.state.RequestStore;
import io.flowhost.state.RequestStoreException;
import io.flowhost.state.internal.RequestRows;
import io.flowhost.state.internal.Waiters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The durable queue of asynchronous requests and their results, in an SQLite file (WAL, flushed to disk before any
 * change a caller is told of: {@link GroupCommit}).
 *
 * <p>Every change goes through one writer thread that commits whatever is waiting in one transaction (group commit);
 * reads use their own connections and never wait for it. Time is always passed in, never read here.
 */
public final class SqliteRequestStore implements RequestStore {

    private static final int READERS = 4;
    /** Rows one sweep or reclaim touches at most, so it holds the writer for milliseconds, not seconds. */
    private static final int BATCH_LIMIT = 1000;

    private final ReadPool reads;
    private final Depths depths;
    private final Waiters waiters;
    private final GroupCommit writer;
    private final RequestIds ids = new RequestIds();

    private SqliteRequestStore(Connection writerDb, WalSync sync, ReadPool reads, Depths depths) {
        this.reads = reads;
        this.depths = depths;
        this.waiters = new Waiters(this::get);
        this.writer = new GroupCommit(writerDb, sync, depths, waiters);
    }

    /** Opens (creating if needed) the store in the given file, e.g. {@code {data-dir}/requests.db}. */
    public static SqliteRequestStore open(Path file) {
        Connection writerDb = null;
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            writerDb = Schema.openWriter(file);
            var depths = Depths.load(writerDb);
            writerDb.commit(); // ends the read transaction that counting opened
            var sync = Schema.flushOffTheWriter(writerDb, file);
            return new SqliteRequestStore(writerDb, sync, ReadPool.open(file, READERS), depths);
        } catch (SQLException | IOException e) {
            closeQuietly(writerDb);
            throw new RequestStoreException("cannot open the requests database " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Submitted> submit(NewRequest request, Retention retention, Instant now) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(retention, "retention");
        var fresh = Transitions.accepted(ids.next(now), request, retention, now);
        // Hashed here, on the caller's thread, not on the one writer: a body can be megabytes.
        var fingerprint = request.idempotencyKey() == null ? null : request.fingerprint();
        return writer.submit(new Submit(fresh, fingerprint, retention.maxQueued(), now));
    }

    @Override
    public Optional<AsyncRequest> get(String id) {
        return reads.read(db -> {
            try (var st = db.prepareStatement("SELECT " + RequestRows.COLUMNS + " FROM requests WHERE id = ?")) {
                st.setString(1, id);
                try (var rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(RequestRows.read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<AsyncRequest> list(String service, Set<State> states, int limit) {
        return reads.read(db -> RequestRows.list(db, service, states, limit));
    }

    @Override
    public int queued(String deploymentId) {
        return depths.queued(deploymentId);
    }

    @Override
    public Optional<Instant> oldestQueued(String deploymentId) {
        return depths.oldest(deploymentId);
    }

    @Override
    public Set<String> deploymentsWithQueued() {
        return depths.deployments();
    }

    @Override
    public Optional<AsyncRequest> lease(String deploymentId, String holder, Duration lease, Instant now) {
        return lease(deploymentId, holder, lease, 1, now).stream().findFirst();
    }

    @Override
    public List<AsyncRequest> lease(String deploymentId, String holder, Duration lease, int max, Instant now) {
        return await(leaseAsync(deploymentId, holder, lease, max, now));
    }

    @Override
    public CompletableFuture<List<AsyncRequest>> leaseAsync(
            String deploymentId, String holder, Duration lease, int max, Instant now) {
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(holder, "holder");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease: " + lease + " (expected: > 0)");
        }
        if (max < 1) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= 1)");
        }
        // A lease lost in a power cut puts the request back, to run again as at least once allows; the result that
        // a run stores is flushed, and takes the lease to disk with it.
        return writer.submitWithoutFlush(new Take(deploymentId, holder, lease, max, now));
    }

    @Override
    public boolean renew(String id, String holder, Duration lease, Instant now) {
        return await(writer.submit(new Report(id, holder, now, r -> Transitions.renewed(r, lease, now))));
    }

    @Override
    public boolean complete(String id, String holder, Result result, Instant now) {
        return await(completeAsync(id, holder, result, now));
    }

    @Override
    public CompletableFuture<Boolean> completeAsync(String id, String holder, Result result, Instant now) {
        Objects.requireNonNull(result, "result");
        return writer.submit(new Report(id, holder, now, r -> Transitions.answered(r, result, now)));
    }

    @Override
    public boolean retryOrFail(String id, String holder, String why, Instant now) {
        return await(retryOrFailAsync(id, holder, why, now));
    }

    @Override
    public CompletableFuture<Boolean> retryOrFailAsync(String id, String holder, String why, Instant now) {
        Objects.requireNonNull(why, "why");
        return writer.submit(new Report(id, holder, now, r -> Transitions.attemptLost(r, why, now)));
    }

    @Override
    public Optional<AsyncRequest> cancel(String id, Instant now) {
        return await(writer.submit(new Cancel(id, now)));
    }

    @Override
    public int reclaimExpiredLeases(Instant now) {
        return await(writer.submit(new Reclaim(now, false, BATCH_LIMIT)));
    }

    @Override
    public int recoverAfterRestart(Instant now) {
        int total = 0;
        int moved;
        do {
            moved = await(writer.submit(new Reclaim(now, true, BATCH_LIMIT)));
            total += moved;
        } while (moved == BATCH_LIMIT);
        return total;
    }

    @Override
    public int sweep(Instant now) {
        return await(writer.submit(new Sweep(now, BATCH_LIMIT)));
    }

    @Override
    public List<AsyncRequest> callbacksOwed(Instant finishedBefore, int limit) {
        return reads.read(db -> RequestRows.callbacksOwed(db, finishedBefore, limit));
    }

    @Override
    public void callbackSettled(String id, Instant now) {
        // Not flushed: lost in a power cut, the callback is sent again, as at least once allows.
        await(writer.submitWithoutFlush(batch -> batch.update(RequestRows.SETTLE_CALLBACK, st -> {
            st.setLong(1, now.toEpochMilli());
            st.setString(2, id);
        })));
    }

    @Override
    public CompletableFuture<AsyncRequest> whenFinished(String id) {
        return waiters.whenFinished(id);
    }

    @Override
    public void close() {
        writer.close();
        waiters.failAll(new RequestStoreException("the request store is closed"));
        reads.close();
    }

    /** Transactions committed and works run so far: {@code works / batches} is the mean group-commit size. */
    long[] writerStats() {
        return writer.stats();
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void closeQuietly(Connection db) {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // the failure to open is the one reported
            }
        }
    }
}
