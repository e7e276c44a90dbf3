package io.flowhost.state.postgres;

import io.flowhost.domain.request.IdempotencyKeyReusedException;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.state.RequestStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Group commit: a few writer threads, each taking every job waiting (up to {@link #MAX_BATCH}) into one transaction
 * and one commit, so that one WAL flush answers many callers. Used for submits (a commit each, on 16 threads,
 * measured 2,612 accepted/s here against SQLite's 11,250/s; bench/async-state.sh) and for the reports of lease
 * holders (results, lost attempts, renewals), which otherwise cost a commit for every request run.
 *
 * <p>A job that is refused (queue full, idempotency key reused) is refused alone: a refusal writes nothing and the
 * rest of its batch commits. A database error rolls the batch back and runs each of its jobs again alone, so that
 * one bad job fails by itself; a database out of reach fails the whole batch at once, since each job alone would
 * only wait for it again.
 *
 * @param <P> what a job asks for
 * @param <R> what it answers
 */
final class BatchWriters<P, R> implements AutoCloseable {

    /**
     * Writes a batch of jobs in the given transaction: for each, in order, its answer, or the refusal that wrote
     * nothing ({@link QueueFullException}, {@link IdempotencyKeyReusedException}).
     */
    @FunctionalInterface
    interface Batch<P> {
        Object[] write(Connection db, List<P> jobs) throws SQLException;
    }

    private record Job<P, R>(P pending, CompletableFuture<R> done) {}

    static final int MAX_BATCH = 256;

    private final DataSource pool;
    private final Batch<P> batchWriter;
    private final LinkedBlockingQueue<Job<P, R>> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param name    names the writer threads, e.g. {@code submits}
     * @param threads how many batches may commit at once, each on a connection of its own
     */
    BatchWriters(DataSource pool, String name, int threads, Batch<P> batchWriter) {
        this.pool = pool;
        this.batchWriter = batchWriter;
        for (int i = 0; i < threads; i++) {
            writers.add(Thread.ofPlatform()
                    .name("requests-" + name + "-" + i)
                    .daemon()
                    .start(this::loop));
        }
    }

    /** Queues a job; the future completes once its batch is committed (or it was refused, or failed). */
    CompletableFuture<R> submit(P pending) {
        var done = new CompletableFuture<R>();
        if (closed) {
            done.completeExceptionally(closedException());
            return done;
        }
        var job = new Job<P, R>(pending, done);
        waiting.add(job);
        if (closed && waiting.remove(job)) { // closed in between: nobody would take it
            done.completeExceptionally(closedException());
        }
        return done;
    }

    private void loop() {
        var batch = new ArrayList<Job<P, R>>(MAX_BATCH);
        while (!closed || !waiting.isEmpty()) {
            try {
                var first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                waiting.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                batch.forEach(job -> job.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    @SuppressWarnings("unchecked") // each answer is the R that the batch writer made for that job
    private void commit(List<Job<P, R>> batch) {
        Object[] results;
        try (var db = pool.getConnection()) {
            db.setAutoCommit(false);
            try {
                results = batchWriter.write(db, batch.stream().map(Job::pending).toList());
                db.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(db);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            if (batch.size() > 1 && !(e instanceof SQLException s && Jdbc.unreachable(s))) {
                batch.forEach(job -> commit(List.of(job))); // so that one bad job fails alone
                return;
            }
            var failure = e instanceof SQLException s
                    ? Jdbc.failure("cannot write the requests database", s, RequestStoreException::new)
                    : e;
            batch.forEach(job -> job.done().completeExceptionally(failure));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (results[i] instanceof RuntimeException refused) {
                batch.get(i).done().completeExceptionally(refused);
            } else {
                batch.get(i).done().complete((R) results[i]);
            }
        }
    }

    private static void rollback(Connection db) {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool drops it, and the first failure is the one reported
        }
    }

    private static RequestStoreException closedException() {
        return new RequestStoreException("the request store is closed");
    }

    /** Commits what is waiting, then stops the writers. */
    @Override
    public void close() {
        closed = true;
        for (var writer : writers) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Job<P, R> left;
        while ((left = waiting.poll()) != null) {
            left.done().completeExceptionally(closedException());
        }
    }
}
