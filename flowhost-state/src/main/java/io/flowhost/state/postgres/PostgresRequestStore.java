package io.flowhost.state.postgres;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.IdempotencyKeyReusedException;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.domain.request.RequestIds;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.domain.request.Submitted;
import io.flowhost.domain.request.Transitions;
import io.flowhost.state.RequestStore;
import io.flowhost.state.RequestStoreException;
import io.flowhost.state.internal.RequestRows;
import io.flowhost.state.internal.Waiters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The async queue in PostgreSQL, which several gateways share: the same state rules ({@code Transitions}) and the
 * same contract as the SQLite store.
 *
 * <p>Every change is committed with {@code synchronous_commit=on} before its future completes, so a 202 still means
 * committed. Submits and lease holders' reports are group-committed ({@link BatchWriters}): a few writers each put
 * every submit (or report) waiting into
 * one transaction. Other changes are a transaction each on a pooled connection. Leases take rows
 * with {@code FOR UPDATE SKIP LOCKED}, so two gateways leasing at once take different requests; a unique index on
 * the idempotency key makes two submits with one key, on any gateways, store one request.
 */
final class PostgresRequestStore implements RequestStore {

    /** Rows one sweep or reclaim touches at most, so that one transaction stays short. */
    private static final int BATCH_LIMIT = 1000;

    private static final Duration RECOUNT_AFTER = Duration.ofSeconds(1);
    /** Writers of lease holders' reports: the dispatcher's results arrive from many calls at once. */
    private static final int REPORT_WRITERS = 2;

    private static final String SELECT = "SELECT " + RequestRows.COLUMNS + " FROM requests ";
    /** An insert that a taken idempotency key skips instead of failing, which would abort the whole batch. */
    private static final String INSERT =
            RequestRows.INSERT + " ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING";

    private static final String SELECT_BUT_BODY =
            "SELECT " + RequestRows.COLUMNS.replace(" body,", " ''::bytea AS body,") + " FROM requests ";
    private static final String QUEUED_TIMES =
            "SELECT count(*), min(accepted_at) FROM requests" + " WHERE state = 'QUEUED' AND deployment_id = ?";
    /** The deployments with queued requests, one index probe each (a loose index scan), not a scan of the queue. */
    private static final String WITH_QUEUED = """
            WITH RECURSIVE d AS (
              (SELECT deployment_id FROM requests WHERE state = 'QUEUED' ORDER BY deployment_id LIMIT 1)
              UNION ALL
              SELECT (SELECT r.deployment_id FROM requests r WHERE r.state = 'QUEUED'
                      AND r.deployment_id > d.deployment_id ORDER BY r.deployment_id LIMIT 1)
              FROM d WHERE d.deployment_id IS NOT NULL)
            SELECT deployment_id FROM d WHERE deployment_id IS NOT NULL""";

    private final DataSource pool;
    private final BatchWriters<Pending, Submitted> submits;
    private final BatchWriters<Report, Optional<AsyncRequest>> reports;
    private final Fence fence;
    private final Waiters waiters = new Waiters(this::get);
    private final RequestIds ids = new RequestIds();
    private final Map<String, Depth> depths = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param writers threads that group-commit submits, each on a connection of its own while it commits
     */
    PostgresRequestStore(DataSource pool, int writers, Fence fence) {
        this.pool = pool;
        this.fence = fence;
        this.submits = new BatchWriters<>(pool, "submits", writers, this::submitAll);
        this.reports = new BatchWriters<>(pool, "reports", REPORT_WRITERS, this::reportAll);
    }

    /** Wakes the long polls of a request that another gateway (or this one) finished: a notification's payload. */
    void finishedElsewhere(String id) {
        waiters.finished(id);
    }

    /** Reads every request waited for again and wakes the waiters of those final: for notifications missed. */
    void recheckWaited() {
        for (var id : waiters.waitedFor()) {
            var now = get(id);
            if (now.isEmpty() || now.get().state().isFinal()) {
                waiters.finished(id);
            }
        }
    }

    @Override
    public CompletableFuture<Submitted> submit(NewRequest request, Retention retention, Instant now) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(retention, "retention");
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        var fresh = Transitions.accepted(ids.next(now), request, retention, now);
        // Hashed here, on the caller's thread: a body can be megabytes.
        var fingerprint = request.idempotencyKey() == null ? null : request.fingerprint();
        return submits.submit(new Pending(fresh, fingerprint, retention.maxQueued(), now));
    }

    /**
     * One submit as the store will write it.
     *
     * @param fresh       the request as it will be stored, made on the caller's thread
     * @param fingerprint the fingerprint of its call when it has an idempotency key, else null
     * @param maxQueued   its deployment's {@code max-queued}
     * @param now         the time of the submission
     */
    record Pending(AsyncRequest fresh, String fingerprint, int maxQueued, Instant now) {}

    /**
     * A lease holder's report on its request: applied only while it still holds the lease.
     *
     * @param id         the request
     * @param holder     who reports
     * @param now        the time of the report
     * @param transition what the report does to the request
     */
    record Report(String id, String holder, Instant now, UnaryOperator<AsyncRequest> transition) {}

    /**
     * Writes a batch of submits in one transaction. Keys and depths are checked row by row (a key's earlier request
     * is locked), then every insert goes in one round trip; an insert that a concurrent submit with the same key
     * beat (on another gateway, or earlier in this batch) inserts nothing, and answers as a repeat of the winner.
     */
    private Object[] submitAll(Connection db, List<Pending> submits) throws SQLException {
        var results = new Object[submits.size()];
        var inserting = new ArrayList<Integer>(submits.size());
        for (int i = 0; i < submits.size(); i++) {
            var p = submits.get(i);
            var key = p.fresh().idempotencyKey();
            if (key != null) {
                var earlier = remembered(db, key, p.now());
                if (earlier.isPresent()) {
                    results[i] = repeated(earlier.get(), key, p.fingerprint());
                    continue;
                }
            }
            var depth = depth(db, p.fresh().deploymentId(), p.maxQueued());
            if (depth.atLeast(p.maxQueued())) {
                results[i] = new QueueFullException(p.fresh().deploymentId(), p.maxQueued());
                continue;
            }
            depth.added(); // before the insert, so the next of this batch counts it (a rollback over-counts: safe)
            inserting.add(i);
        }
        if (inserting.isEmpty()) {
            return results;
        }
        int[] counts;
        try (var st = db.prepareStatement(INSERT)) {
            for (int i : inserting) {
                RequestRows.bindInsert(
                        st, submits.get(i).fresh(), submits.get(i).fingerprint());
                st.addBatch();
            }
            counts = st.executeBatch();
        }
        for (int n = 0; n < inserting.size(); n++) {
            var p = submits.get(inserting.get(n));
            if (counts[n] == 0) {
                var key = p.fresh().idempotencyKey();
                var winner = remembered(db, key, p.now())
                        .orElseThrow(() -> new SQLException("idempotency key " + key + " is taken, by no request"));
                results[inserting.get(n)] = repeated(winner, key, p.fingerprint());
            } else {
                results[inserting.get(n)] = new Submitted(p.fresh(), false);
            }
        }
        return results;
    }

    /** The answer to a key used again: the earlier request for the same call, a refusal for any other. */
    private static Object repeated(KeyUse earlier, String key, String fingerprint) {
        if (!fingerprint.equals(earlier.fingerprint())) {
            return new IdempotencyKeyReusedException(key);
        }
        return new Submitted(earlier.request(), true);
    }

    /**
     * A deployment's queue depth as last counted, plus the submits this gateway made since: an upper bound on it
     * while no other gateway submits, so a submit checks {@code max-queued} without counting the queue.
     */
    private static final class Depth {
        final int counted;
        final long countedAt;
        final AtomicInteger since = new AtomicInteger();

        Depth(int counted, long countedAt) {
            this.counted = counted;
            this.countedAt = countedAt;
        }

        boolean atLeast(int max) {
            return counted + since.get() >= max;
        }

        void added() {
            since.incrementAndGet();
        }
    }

    /**
     * The deployment's depth: counted again when the last count is older than {@link #RECOUNT_AFTER} or when the
     * estimate says full (so a refusal is always exact). Counting costs up to {@code max} index entries; counting
     * for every submit made 16,000 submits into one queue take 20 s. Several gateways submitting at once can go
     * past {@code max-queued} by what the others accepted within {@link #RECOUNT_AFTER}: it bounds a backlog, not
     * a precise number.
     */
    private Depth depth(Connection db, String deploymentId, int max) throws SQLException {
        long now = System.nanoTime();
        var known = depths.get(deploymentId);
        if (known != null && now - known.countedAt < RECOUNT_AFTER.toNanos() && !known.atLeast(max)) {
            return known;
        }
        var counted = new Depth(queuedUpTo(db, deploymentId, max), now);
        depths.put(deploymentId, counted);
        return counted;
    }

    /** A request that used the key, with its fingerprint, locked for this transaction. */
    private record KeyUse(AsyncRequest request, String fingerprint) {}

    /**
     * The request that holds the key while it is kept; a row past its result TTL that the sweep has not deleted yet
     * is deleted here, so that the unique index lets the key be used again.
     */
    private static Optional<KeyUse> remembered(Connection db, String key, Instant now) throws SQLException {
        try (var st = db.prepareStatement("SELECT " + RequestRows.COLUMNS + ", fingerprint FROM requests"
                + " WHERE idempotency_key = ? FOR UPDATE")) {
            st.setString(1, key);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                var request = RequestRows.read(rs);
                if (request.isGoneAt(now)) {
                    delete(db, request.id());
                    return Optional.empty();
                }
                var stored = rs.getString(RequestRows.COLUMN_COUNT + 1);
                return Optional.of(new KeyUse(request, stored != null ? stored : request.fingerprint()));
            }
        }
    }

    private static void delete(Connection db, String id) throws SQLException {
        try (var st = db.prepareStatement("DELETE FROM requests WHERE id = ?")) {
            st.setString(1, id);
            st.executeUpdate();
        }
    }

    /** How many the deployment has queued, counting no further than {@code max}: the check costs at most that. */
    private static int queuedUpTo(Connection db, String deploymentId, int max) throws SQLException {
        try (var st = db.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM requests"
                + " WHERE state = 'QUEUED' AND deployment_id = ? LIMIT ?) q")) {
            st.setString(1, deploymentId);
            st.setInt(2, max);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public Optional<AsyncRequest> get(String id) {
        return read(db -> {
            try (var st = db.prepareStatement(SELECT + "WHERE id = ?")) {
                st.setString(1, id);
                try (var rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(RequestRows.read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<AsyncRequest> list(String service, Set<State> states, int limit) {
        return read(db -> RequestRows.list(db, service, states, limit));
    }

    @Override
    public int queued(String deploymentId) {
        return read(db -> {
            try (var st = db.prepareStatement(QUEUED_TIMES)) {
                st.setString(1, deploymentId);
                try (var rs = st.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public Optional<Instant> oldestQueued(String deploymentId) {
        return read(db -> {
            try (var st = db.prepareStatement(QUEUED_TIMES)) {
                st.setString(1, deploymentId);
                try (var rs = st.executeQuery()) {
                    rs.next();
                    return Optional.ofNullable(Jdbc.instant(rs, 2));
                }
            }
        });
    }

    @Override
    public Set<String> deploymentsWithQueued() {
        return read(db -> {
            try (var st = db.prepareStatement(WITH_QUEUED);
                    var rs = st.executeQuery()) {
                var out = new HashSet<String>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return Set.copyOf(out);
            }
        });
    }

    @Override
    public Optional<AsyncRequest> lease(String deploymentId, String holder, Duration lease, Instant now) {
        return lease(deploymentId, holder, lease, 1, now).stream().findFirst();
    }

    @Override
    public List<AsyncRequest> lease(String deploymentId, String holder, Duration lease, int max, Instant now) {
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(holder, "holder");
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease: " + lease + " (expected: > 0)");
        }
        if (max < 1) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= 1)");
        }
        return write(db -> {
            fence.check(db);
            noFlushWait(db);
            // SKIP LOCKED: a request another gateway is leasing right now is left to it, not waited for.
            List<AsyncRequest> queued;
            try (var st = db.prepareStatement(SELECT + "WHERE state = 'QUEUED' AND deployment_id = ?"
                    + " AND expires_at > ? ORDER BY accepted_at, seq LIMIT ? FOR UPDATE SKIP LOCKED")) {
                st.setString(1, deploymentId);
                st.setLong(2, now.toEpochMilli());
                st.setInt(3, max);
                queued = requests(st);
            }
            var taken = new ArrayList<AsyncRequest>(queued.size());
            for (var r : queued) {
                taken.add(Transitions.leased(r, holder, lease, now));
            }
            save(db, taken);
            return taken;
        });
    }

    @Override
    public boolean renew(String id, String holder, Duration lease, Instant now) {
        return report(id, holder, now, r -> Transitions.renewed(r, lease, now));
    }

    @Override
    public boolean complete(String id, String holder, Result result, Instant now) {
        Objects.requireNonNull(result, "result");
        return report(id, holder, now, r -> Transitions.answered(r, result, now));
    }

    @Override
    public boolean retryOrFail(String id, String holder, String why, Instant now) {
        Objects.requireNonNull(why, "why");
        return report(id, holder, now, r -> Transitions.attemptLost(r, why, now));
    }

    /** Applies a lease holder's report while it still holds the lease; a late report is dropped. */
    private boolean report(String id, String holder, Instant now, UnaryOperator<AsyncRequest> transition) {
        if (closed) {
            throw closedException();
        }
        try {
            var after = reports.submit(new Report(id, holder, now, transition)).join();
            // after the commit: a waiter reads the row now; other gateways hear of it from the NOTIFY
            after.filter(r -> r.state().isFinal()).ifPresent(r -> waiters.finished(r.id()));
            return after.isPresent();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Writes a batch of reports in one transaction: their requests locked in one query, in id order (so that two
     * batches never wait on each other crosswise), each report applied in turn to the request as the reports
     * before it in the batch left it, and every change saved in one round trip.
     */
    private Object[] reportAll(Connection db, List<Report> batch) throws SQLException {
        var current = new HashMap<String, AsyncRequest>();
        try (var st = db.prepareStatement(SELECT + "WHERE id = ANY(?) ORDER BY id FOR UPDATE")) {
            st.setArray(
                    1,
                    db.createArrayOf(
                            "text", batch.stream().map(Report::id).distinct().toArray()));
            for (var r : requests(st)) {
                current.put(r.id(), r);
            }
        }
        var results = new Object[batch.size()];
        var changed = new LinkedHashMap<String, AsyncRequest>();
        for (int i = 0; i < batch.size(); i++) {
            var report = batch.get(i);
            var request = current.get(report.id());
            if (request == null || !request.isLeasedBy(report.holder(), report.now())) {
                results[i] = Optional.empty();
                continue;
            }
            var moved = report.transition().apply(request);
            current.put(moved.id(), moved);
            changed.put(moved.id(), moved);
            results[i] = Optional.of(moved);
        }
        save(db, List.copyOf(changed.values()));
        return results;
    }

    @Override
    public Optional<AsyncRequest> cancel(String id, Instant now) {
        var after = write(db -> {
            var found = locked(db, id);
            if (found.isEmpty() || found.get().state() != State.QUEUED) {
                return found;
            }
            var cancelled = Transitions.cancelled(found.get(), now);
            save(db, List.of(cancelled));
            return Optional.of(cancelled);
        });
        after.filter(r -> r.state() == State.CANCELLED).ifPresent(r -> waiters.finished(r.id()));
        return after;
    }

    @Override
    public int reclaimExpiredLeases(Instant now) {
        return reclaim(now, false);
    }

    @Override
    public int recoverAfterRestart(Instant now) {
        int total = 0;
        int moved;
        do {
            moved = reclaim(now, true);
            total += moved;
        } while (moved == BATCH_LIMIT);
        return total;
    }

    /** Takes back running requests from holders that are gone: queued again while attempts remain, else FAILED. */
    private int reclaim(Instant now, boolean everyOne) {
        var moved = write(db -> {
            fence.check(db);
            noFlushWait(db);
            List<AsyncRequest> running;
            try (var st = db.prepareStatement(SELECT_BUT_BODY + "WHERE state = 'RUNNING'"
                    + (everyOne ? "" : " AND lease_until <= ?") + " ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED")) {
                int i = 1;
                if (!everyOne) {
                    st.setLong(i++, now.toEpochMilli());
                }
                st.setInt(i, BATCH_LIMIT);
                running = requests(st);
            }
            var after = new ArrayList<AsyncRequest>(running.size());
            for (var r : running) {
                var why = everyOne
                        ? "the server stopped while attempt " + r.attempts() + " ran"
                        : "the lease of " + r.leaseHolder() + " expired at " + r.leaseUntil();
                after.add(Transitions.attemptLost(r, why, now));
            }
            save(db, after);
            return after;
        });
        finished(moved);
        return moved.size();
    }

    @Override
    public int sweep(Instant now) {
        var swept = write(db -> {
            fence.check(db);
            noFlushWait(db);
            List<AsyncRequest> expired;
            try (var st = db.prepareStatement(SELECT_BUT_BODY + "WHERE state = 'QUEUED' AND expires_at <= ?"
                    + " ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                st.setLong(1, now.toEpochMilli());
                st.setInt(2, BATCH_LIMIT);
                expired = requests(st);
            }
            var after = expired.stream().map(r -> Transitions.expired(r, now)).toList();
            save(db, after);
            int deleted;
            try (var st = db.prepareStatement("DELETE FROM requests WHERE seq IN (SELECT seq FROM requests"
                    + " WHERE state IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED') AND expires_at <= ?"
                    + " LIMIT ? FOR UPDATE SKIP LOCKED)")) {
                st.setLong(1, now.toEpochMilli());
                st.setInt(2, BATCH_LIMIT);
                deleted = st.executeUpdate();
            }
            return new Swept(after, deleted);
        });
        finished(swept.expired);
        return swept.expired.size() + swept.deleted;
    }

    private record Swept(List<AsyncRequest> expired, int deleted) {}

    @Override
    public List<AsyncRequest> callbacksOwed(Instant finishedBefore, int limit) {
        return read(db -> RequestRows.callbacksOwed(db, finishedBefore, limit));
    }

    @Override
    public void callbackSettled(String id, Instant now) {
        write(db -> {
            try (var st = db.prepareStatement(RequestRows.SETTLE_CALLBACK)) {
                st.setLong(1, now.toEpochMilli());
                st.setString(2, id);
                return st.executeUpdate();
            }
        });
    }

    @Override
    public CompletableFuture<AsyncRequest> whenFinished(String id) {
        return waiters.whenFinished(id);
    }

    @Override
    public void close() {
        closed = true;
        submits.close();
        reports.close();
        waiters.failAll(closedException());
    }

    /**
     * Commits this transaction without waiting for its WAL flush. Only for what may be lost in a database crash
     * without losing anything a caller was told: a lease (the request is queued again and runs again, as at least
     * once allows), a reclaim or a sweep (done again). Never for a submit, whose 202 means committed, nor for a
     * result, which a long poll may already have handed out.
     */
    private static void noFlushWait(Connection db) throws SQLException {
        try (var st = db.createStatement()) {
            st.execute("SET LOCAL synchronous_commit = off");
        }
    }

    private static Optional<AsyncRequest> locked(Connection db, String id) throws SQLException {
        try (var st = db.prepareStatement(SELECT + "WHERE id = ? FOR UPDATE")) {
            st.setString(1, id);
            return requests(st).stream().findFirst();
        }
    }

    /** Saves what transitions changed (never the call itself, so requests read without bodies may be saved). */
    private static void save(Connection db, List<AsyncRequest> moved) throws SQLException {
        if (moved.isEmpty()) {
            return;
        }
        try (var st = db.prepareStatement(RequestRows.UPDATE)) {
            for (var r : moved) {
                RequestRows.bindUpdate(st, r);
                st.addBatch();
            }
            st.executeBatch();
        }
        var finished = moved.stream()
                .filter(r -> r.state().isFinal())
                .map(AsyncRequest::id)
                .toArray(String[]::new);
        if (finished.length > 0) {
            // Delivered at commit, to every gateway's Notifications (this one's too), and not at all on rollback.
            try (var st = db.prepareStatement(
                    "SELECT pg_notify('" + Notifications.FINISHED + "', id) FROM unnest(?::text[]) AS id")) {
                st.setArray(1, db.createArrayOf("text", finished));
                st.execute();
            }
        }
    }

    /** Wakes the long polls of requests that reached a final state, once that is committed. */
    private void finished(List<AsyncRequest> moved) {
        moved.stream().filter(r -> r.state().isFinal()).forEach(r -> waiters.finished(r.id()));
    }

    private static List<AsyncRequest> requests(PreparedStatement st) throws SQLException {
        try (var rs = st.executeQuery()) {
            var out = new ArrayList<AsyncRequest>();
            while (rs.next()) {
                out.add(RequestRows.read(rs));
            }
            return out;
        }
    }

    private <T> T write(Jdbc.Work<T> work) {
        if (closed) {
            throw closedException();
        }
        try {
            return Jdbc.inTransaction(pool, work);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot write the requests database", e, RequestStoreException::new);
        }
    }

    private <T> T read(Jdbc.Work<T> work) {
        if (closed) {
            throw closedException();
        }
        try (var db = pool.getConnection()) {
            return work.run(db);
        } catch (SQLException e) {
            throw Jdbc.failure("cannot read the requests database", e, RequestStoreException::new);
        }
    }

    private static RequestStoreException closedException() {
        return new RequestStoreException("the request store is closed");
    }
}
