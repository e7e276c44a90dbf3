package io.flowhost.state.sqlite;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.domain.request.RequestIds;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.domain.request.Submitted;
import io.flowhost.domain.request.Transitions;
import io.flowhost.domain.request.UnknownRequestException;
import io.flowhost.state.RequestStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The durable queue of asynchronous requests and their results, in an SQLite file (WAL, {@code synchronous=FULL}).
 *
 * <p>Every change goes through one writer thread that commits whatever is waiting in one transaction (group commit);
 * reads use their own connections and never wait for it. Time is always passed in, never read here.
 */
public final class RequestStore implements AutoCloseable {

    private static final int READERS = 4;
    /** Rows one sweep or reclaim touches at most, so it holds the writer for milliseconds, not seconds. */
    private static final int BATCH_LIMIT = 1000;

    private static final int MAX_LIST = 1000;

    private final ReadPool reads;
    private final Depths depths;
    private final Waiters waiters;
    private final GroupCommit writer;
    private final RequestIds ids = new RequestIds();

    private RequestStore(Connection writerDb, ReadPool reads, Depths depths) {
        this.reads = reads;
        this.depths = depths;
        this.waiters = new Waiters(this::get);
        this.writer = new GroupCommit(writerDb, depths, waiters);
    }

    /** Opens (creating if needed) the store in the given file, e.g. {@code {data-dir}/requests.db}. */
    public static RequestStore open(Path file) {
        Connection writerDb = null;
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            writerDb = Schema.openWriter(file);
            var depths = Depths.load(writerDb);
            writerDb.commit(); // ends the read transaction that counting opened
            return new RequestStore(writerDb, ReadPool.open(file, READERS), depths);
        } catch (SQLException | IOException e) {
            closeQuietly(writerDb);
            throw new RequestStoreException("cannot open the requests database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Accepts a request; the future completes once it is committed to disk, so acknowledge the caller only then.
     * With an idempotency key used for the same service and endpoint within its retention, the future holds the
     * earlier request and {@code duplicate = true}. It fails with {@link QueueFullException} when the deployment
     * already has {@code retention.maxQueued()} requests queued, or {@link RequestStoreException} when the write
     * failed.
     */
    public CompletableFuture<Submitted> submit(NewRequest request, Retention retention, Instant now) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(retention, "retention");
        var fresh = Transitions.accepted(ids.next(), request, retention, now);
        return writer.submit(new Submit(fresh, retention.maxQueued(), now));
    }

    /** The request with this id, as last committed; empty if unknown or deleted after its result TTL. */
    public Optional<AsyncRequest> get(String id) {
        return reads.read(db -> {
            try (var st = db.prepareStatement("SELECT " + Rows.COLUMNS + " FROM requests WHERE id = ?")) {
                st.setString(1, id);
                try (var rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(Rows.read(rs)) : Optional.empty();
                }
            }
        });
    }

    /** A service's requests in the given states (all when empty), newest first, at most {@code limit} (1..1000). */
    public List<AsyncRequest> list(String service, Set<State> states, int limit) {
        if (limit < 1 || limit > MAX_LIST) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: 1.." + MAX_LIST + ")");
        }
        var wanted = states.isEmpty() ? EnumSet.allOf(State.class) : EnumSet.copyOf(states);
        var marks = wanted.stream().map(s -> "?").collect(Collectors.joining(", "));
        return reads.read(db -> {
            try (var st = db.prepareStatement("SELECT " + Rows.COLUMNS + " FROM requests WHERE service = ?"
                    + " AND state IN (" + marks + ") ORDER BY accepted_at DESC, seq DESC LIMIT ?")) {
                int i = 1;
                st.setString(i++, service);
                for (var state : wanted) {
                    st.setString(i++, state.name());
                }
                st.setInt(i, limit);
                try (var rs = st.executeQuery()) {
                    var out = new ArrayList<AsyncRequest>();
                    while (rs.next()) {
                        out.add(Rows.read(rs));
                    }
                    return Collections.unmodifiableList(out);
                }
            }
        });
    }

    /** How many requests the deployment has queued, from memory (cheap enough for every autoscaler tick). */
    public int queued(String deploymentId) {
        return depths.queued(deploymentId);
    }

    /** When the deployment's oldest queued request was accepted, from memory; empty when its queue is empty. */
    public Optional<Instant> oldestQueued(String deploymentId) {
        return depths.oldest(deploymentId);
    }

    /** The deployments with at least one queued request, from memory, for the dispatcher. */
    public Set<String> deploymentsWithQueued() {
        return depths.deployments();
    }

    /**
     * Takes the deployment's oldest queued request (arrival order) and marks it RUNNING, one more attempt, leased to
     * {@code holder} until {@code now + lease}; empty when nothing is queued. Use a holder id unique to this attempt
     * (e.g. instance id and a counter), so a late report of an earlier attempt cannot pass for this one's.
     */
    public Optional<AsyncRequest> lease(String deploymentId, String holder, Duration lease, Instant now) {
        return lease(deploymentId, holder, lease, 1, now).stream().findFirst();
    }

    /** Like {@link #lease(String, String, Duration, Instant)} for up to {@code max} requests in one commit. */
    public List<AsyncRequest> lease(String deploymentId, String holder, Duration lease, int max, Instant now) {
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(holder, "holder");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease: " + lease + " (expected: > 0)");
        }
        if (max < 1) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= 1)");
        }
        return await(writer.submit(new Take(deploymentId, holder, lease, max, now)));
    }

    /** Gives a lease holder {@code lease} more from now, for a long call still running; false if it lost the lease. */
    public boolean renew(String id, String holder, Duration lease, Instant now) {
        return await(writer.submit(new Report(id, holder, now, r -> Transitions.renewed(r, lease, now))));
    }

    /**
     * Records the endpoint's answer: SUCCEEDED on 2xx, FAILED for good otherwise (the handler's own 4xx is not
     * retried). False, and the result dropped, if {@code holder} no longer holds the lease (it expired or was taken
     * back).
     */
    public boolean complete(String id, String holder, Result result, Instant now) {
        Objects.requireNonNull(result, "result");
        return await(writer.submit(new Report(id, holder, now, r -> Transitions.answered(r, result, now))));
    }

    /**
     * Records an attempt that gave no answer (instance crash, timeout): queued again if attempts remain, else FAILED
     * with {@code why}. False if {@code holder} no longer holds the lease.
     */
    public boolean retryOrFail(String id, String holder, String why, Instant now) {
        Objects.requireNonNull(why, "why");
        return await(writer.submit(new Report(id, holder, now, r -> Transitions.attemptLost(r, why, now))));
    }

    /**
     * Cancels a queued request; returns it as it is afterwards: CANCELLED, or unchanged when it was not queued (the
     * caller answers 409), or empty when unknown.
     */
    public Optional<AsyncRequest> cancel(String id, Instant now) {
        return await(writer.submit(new Cancel(id, now)));
    }

    /** Takes back running requests whose lease ended by {@code now} (queued again, or FAILED); returns how many. */
    public int reclaimExpiredLeases(Instant now) {
        return await(writer.submit(new Reclaim(now, false, BATCH_LIMIT)));
    }

    /**
     * On startup, before dispatching: every RUNNING request lost its holder with the old process, so it is queued
     * again, or FAILED when out of attempts; returns how many.
     */
    public int recoverAfterRestart(Instant now) {
        int total = 0;
        int moved;
        do {
            moved = await(writer.submit(new Reclaim(now, true, BATCH_LIMIT)));
            total += moved;
        } while (moved == BATCH_LIMIT);
        return total;
    }

    /**
     * Expires requests queued past their queue TTL (kept as EXPIRED for the result TTL, so callers get 410 rather
     * than 404) and deletes finished ones past their result TTL; at most 1000 of each per call. Returns rows touched:
     * call again soon when it is 1000 or more.
     */
    public int sweep(Instant now) {
        return await(writer.submit(new Sweep(now, BATCH_LIMIT)));
    }

    /**
     * Completes when the request reaches a final state, at once if it has already; fails with
     * {@link UnknownRequestException} if there is no such request. Add your own timeout ({@code orTimeout}).
     */
    public CompletableFuture<AsyncRequest> whenFinished(String id) {
        var future = waiters.register(id); // before reading, so a finish between the two is not missed
        var now = get(id);
        if (now.isEmpty()) {
            future.completeExceptionally(new UnknownRequestException(id));
        } else if (now.get().state().isFinal()) {
            future.complete(now.get());
        }
        return future;
    }

    /** Commits what is already submitted, then closes; later calls fail with {@link RequestStoreException}. */
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
