package io.flowhost.state.sqlite;

import io.flowhost.domain.request.IdempotencyKeyReusedException;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.state.RequestStoreException;
import io.flowhost.state.internal.Waiters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that writes: it takes every work waiting in its queue, runs them all in one transaction, commits,
 * and completes their futures once the commit is on disk ({@link WalSync}).
 *
 * <p>Group commit is what makes durable submits fast: a flush to disk costs the same whether it carries one row or a
 * hundred, so 64 submitters waiting on one commit get 64 acknowledgements for the price of one. The flush runs on a
 * thread of its own while this one runs the next batch, so the writer never waits for the disk. A work whose loss in
 * a power cut would lose nothing a caller was told (a lease: the request runs again, as at least once allows)
 * completes at its commit, without waiting for the flush; such works run first, in a transaction of their own.
 */
final class GroupCommit implements AutoCloseable {

    /** A unit of work run on the writer thread inside a batch's transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Batch batch) throws SQLException;
    }

    private record Job<T>(Work<T> work, CompletableFuture<T> done, boolean durable) {
        @SuppressWarnings("unchecked")
        void succeed(Object result) {
            done.complete((T) result);
        }
    }

    /** Bounds one transaction, so the first works in a burst are not held behind thousands of others. */
    private static final int MAX_BATCH = 1000;

    private static final Job<Void> STOP = new Job<>(batch -> null, new CompletableFuture<>(), false);

    private final Connection db;
    private final WalSync sync;
    private final Depths depths;
    private final Waiters waiters;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Leases leases = new Leases();
    private final BlockingQueue<Job<?>> jobs = new LinkedBlockingQueue<>();
    // Futures complete on virtual threads, one per batch: a caller's dependent stages then never delay the writer.
    private final ExecutorService completions = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("flowhost-requests-completion").factory());
    private final Thread thread;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong works = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param sync flushes what {@code db} committed; {@code db} itself commits without waiting for the disk
     */
    GroupCommit(Connection db, WalSync sync, Depths depths, Waiters waiters) {
        this.db = db;
        this.sync = sync;
        this.depths = depths;
        this.waiters = waiters;
        this.thread =
                Thread.ofPlatform().name("flowhost-requests-writer").daemon().start(this::loop);
    }

    /** Queues a work; its future completes once the transaction that ran it has committed and is on disk. */
    <T> CompletableFuture<T> submit(Work<T> work) {
        return queue(new Job<>(work, new CompletableFuture<T>(), true));
    }

    /**
     * Queues a work whose loss in a power cut loses nothing a caller was told; its future completes once the
     * transaction that ran it has committed, before that is on disk (a later flush takes it there).
     */
    <T> CompletableFuture<T> submitWithoutFlush(Work<T> work) {
        return queue(new Job<>(work, new CompletableFuture<T>(), false));
    }

    private <T> CompletableFuture<T> queue(Job<T> job) {
        if (closed) {
            job.done().completeExceptionally(closedException());
            return job.done();
        }
        jobs.add(job);
        // close() may have drained the queue between the check and the add: take it back and fail it then.
        if (closed && jobs.remove(job)) {
            job.done().completeExceptionally(closedException());
        }
        return job.done();
    }

    /** Transactions committed and works run so far, for the throughput check. */
    long[] stats() {
        return new long[] {batches.get(), works.get()};
    }

    private void loop() {
        var batch = new ArrayList<Job<?>>();
        while (true) {
            try {
                batch.add(jobs.take());
                jobs.drainTo(batch, MAX_BATCH - 1);
            } catch (InterruptedException e) {
                return;
            }
            boolean stop = batch.remove(STOP);
            try {
                // Leases first, in a transaction of their own: a dispatcher worker waits on its next lease with the
                // instance slot idle, and would otherwise wait for the submits and results queued with it as well.
                var quick = batch.stream().filter(job -> !job.durable()).toList();
                if (!quick.isEmpty()) {
                    run(quick);
                }
                var rest = batch.stream().filter(Job::durable).toList();
                if (!rest.isEmpty()) {
                    run(rest);
                }
            } catch (Throwable t) {
                // an Error mid-batch: nothing of it is acknowledged, and the writer keeps serving the next batches
                rollback();
                depths.discard();
                batch.forEach(job -> job.done().completeExceptionally(t));
            }
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private void run(List<Job<?>> batch) {
        var tx = new Batch(db, statements, depths, waiters, leases);
        var results = new Object[batch.size()];
        var refusals = new Throwable[batch.size()];
        try {
            for (int i = 0; i < batch.size(); i++) {
                try {
                    results[i] = batch.get(i).work().run(tx);
                } catch (RuntimeException e) {
                    if (!(e instanceof Refusal
                            || e instanceof QueueFullException
                            || e instanceof IdempotencyKeyReusedException)) {
                        throw e;
                    }
                    refusals[i] = e; // refused before writing anything: the others still commit
                }
            }
            tx.beforeCommit();
            db.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            depths.discard();
            if (batch.size() == 1) {
                batch.getFirst()
                        .done()
                        .completeExceptionally(
                                e instanceof SQLException
                                        ? new RequestStoreException(
                                                "cannot write the requests database: " + e.getMessage(), e)
                                        : e);
            } else {
                batch.forEach(job -> run(List.of(job))); // so one bad work fails alone, not its whole batch
            }
            return;
        }
        depths.publish();
        batches.incrementAndGet();
        works.addAndGet(batch.size());
        var done = List.copyOf(batch);
        if (done.stream().anyMatch(Job::durable)) {
            if (!done.stream().allMatch(Job::durable)) {
                completions.execute(() -> complete(done, results, refusals, false));
            }
            sync.afterNextForce(
                    () -> completions.execute(() -> {
                        complete(done, results, refusals, true);
                        tx.afterCommit().forEach(Runnable::run);
                    }),
                    failure -> completions.execute(() -> {
                        fail(done, failure);
                        // Committed all the same: a long poll reads what a GET would, rather than wait out its time.
                        tx.afterCommit().forEach(Runnable::run);
                    }));
        } else {
            completions.execute(() -> {
                complete(done, results, refusals, false);
                tx.afterCommit().forEach(Runnable::run);
            });
        }
    }

    /** Completes the batch's durable works, or the others. */
    private static void complete(List<Job<?>> batch, Object[] results, Throwable[] refusals, boolean durable) {
        for (int i = 0; i < batch.size(); i++) {
            var job = batch.get(i);
            if (job.durable() != durable) {
                continue;
            }
            if (refusals[i] != null) {
                job.done().completeExceptionally(refusals[i]);
            } else {
                job.succeed(results[i]);
            }
        }
    }

    /**
     * Fails the batch's durable works: committed but maybe not on disk, so never acknowledged. (A submit failed here
     * may still be run: a caller that retries with its idempotency key gets the one request.)
     */
    private static void fail(List<Job<?>> batch, Exception failure) {
        var why = new RequestStoreException(
                "cannot flush the requests database to disk: " + failure.getMessage(), failure);
        batch.stream().filter(Job::durable).forEach(job -> job.done().completeExceptionally(why));
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the failure that led here is the one reported
        }
    }

    /** Runs what is already queued, then stops the thread and closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        jobs.add(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        var left = new ArrayList<Job<?>>();
        jobs.drainTo(left);
        left.forEach(job -> job.done().completeExceptionally(closedException()));
        sync.close(); // flushes the last commits and hands their completions on
        completions.close(); // waits for the last completions to run
        for (var st : statements.values()) {
            try {
                st.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            db.close();
        } catch (SQLException ignored) {
            // everything committed is on disk; nothing left to protect
        }
    }

    private static RequestStoreException closedException() {
        return new RequestStoreException("the request store is closed");
    }
}
