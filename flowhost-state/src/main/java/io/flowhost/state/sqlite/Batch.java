package io.flowhost.state.sqlite;

import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.State;
import io.flowhost.state.internal.RequestRows;
import io.flowhost.state.internal.Waiters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One transaction of the writer thread, as the works in it see it: statements, reads that see the batch's own
 * writes, and saves that keep the queue depths and the long polls in step with the rows.
 */
final class Batch {

    /** Sets a statement's parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    /** How many queued requests {@link #queueHead} reads at least: about as many as leases share a transaction. */
    private static final int READ_AHEAD = 16;

    /** {@link RequestRows#UPDATE} where the row is still held: by the holder given, until after the time given. */
    private static final String UPDATE_IF_HELD =
            RequestRows.UPDATE + " AND state = 'RUNNING' AND lease_holder = ? AND lease_until > ?";

    /** {@link RequestRows#COLUMNS} with an empty request body in place of the real one. */
    private static final String COLUMNS_BUT_BODY = RequestRows.COLUMNS.replace(" body,", " X'' AS body,");

    private final Connection db;
    private final Map<String, PreparedStatement> statements;
    private final Depths depths;
    private final Waiters waiters;
    private final Leases leases;
    private final List<Runnable> afterCommit = new ArrayList<>();
    /** Per deployment, the queued requests read ahead of the leases that will take them; dropped by other writes. */
    private final Map<String, ArrayDeque<AsyncRequest>> heads = new HashMap<>();

    Batch(Connection db, Map<String, PreparedStatement> statements, Depths depths, Waiters waiters, Leases leases) {
        this.db = db;
        this.statements = statements;
        this.depths = depths;
        this.waiters = waiters;
        this.leases = leases;
    }

    /** A statement prepared once per store and reused: preparing costs more than running a small insert. */
    PreparedStatement prepare(String sql) throws SQLException {
        var st = statements.get(sql);
        if (st == null) {
            st = db.prepareStatement(sql);
            statements.put(sql, st);
        }
        return st;
    }

    /** Whole requests selected with {@code SELECT RequestRows.COLUMNS FROM requests ...}. */
    List<AsyncRequest> select(String where, Binder binder) throws SQLException {
        return select(RequestRows.COLUMNS, where, binder);
    }

    /**
     * Requests with empty bodies, for moving many at once without loading megabytes: fine for {@link #save}, which
     * never writes the request body, but not to hand to a caller.
     */
    List<AsyncRequest> selectWithoutBodies(String where, Binder binder) throws SQLException {
        return select(COLUMNS_BUT_BODY, where, binder);
    }

    private List<AsyncRequest> select(String columns, String where, Binder binder) throws SQLException {
        var st = prepare("SELECT " + columns + " FROM requests " + where);
        binder.bind(st);
        try (var rs = st.executeQuery()) {
            var out = new ArrayList<AsyncRequest>();
            while (rs.next()) {
                out.add(RequestRows.read(rs));
            }
            return out;
        }
    }

    /** One column of the first row of {@code SELECT column FROM requests ...}; empty when no row matched or NULL. */
    Optional<String> selectOne(String column, String where, Binder binder) throws SQLException {
        var st = prepare("SELECT " + column + " FROM requests " + where + " LIMIT 1");
        binder.bind(st);
        try (var rs = st.executeQuery()) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        }
    }

    /** The request with this id, as this transaction sees it. */
    Optional<AsyncRequest> find(String id) throws SQLException {
        return select("WHERE id = ?", st -> st.setString(1, id)).stream().findFirst();
    }

    /** {@link #find} with an empty request body (see {@link #selectWithoutBodies}): to move it, not to hand it out. */
    Optional<AsyncRequest> findWithoutBody(String id) throws SQLException {
        return selectWithoutBodies("WHERE id = ?", st -> st.setString(1, id)).stream()
                .findFirst();
    }

    /**
     * The deployment's next requests to lease, at most {@code max}: queued, not past their queue TTL, in arrival
     * order. Read ahead, so that the leases of one transaction (one per dispatcher worker) share one query.
     */
    List<AsyncRequest> queueHead(String deploymentId, Instant now, int max) throws SQLException {
        var head = heads.get(deploymentId);
        if (head == null || head.size() < max) {
            // INDEXED BY: the planner, seeing expires_at in the filter, would otherwise pick the expiry index and
            // sort the whole queue (measured: 15-31 ms per lease at 112k queued, against 0.07 ms in queue order).
            head = new ArrayDeque<>(select(
                    "INDEXED BY requests_queued WHERE state = 'QUEUED' AND deployment_id = ?"
                            + " AND expires_at > ? ORDER BY accepted_at, seq LIMIT ?",
                    st -> {
                        st.setString(1, deploymentId);
                        st.setLong(2, now.toEpochMilli());
                        st.setInt(3, Math.max(max, READ_AHEAD));
                    }));
            heads.put(deploymentId, head);
        }
        var next = new ArrayList<AsyncRequest>(Math.min(max, head.size()));
        for (var it = head.iterator(); it.hasNext() && next.size() < max; ) {
            var r = it.next();
            if (r.expiresAt().isAfter(now)) { // read at an earlier now: the sweep expires the others
                next.add(r);
            }
        }
        return next;
    }

    /** Queued requests of the deployment, counting this batch's own changes. */
    int queued(String deploymentId) {
        return depths.stagedQueued(deploymentId);
    }

    /** Stores a new (queued) request with the fingerprint of the call it was accepted as. */
    void insert(AsyncRequest r, String fingerprint) throws SQLException {
        heads.clear();
        var st = prepare(RequestRows.INSERT);
        RequestRows.bindInsert(st, r, fingerprint);
        st.executeUpdate();
        depths.added(r.deploymentId(), r.acceptedAt());
    }

    /** Saves a transition from {@code before} to {@code after}, counting queue moves and waking long polls. */
    void save(AsyncRequest before, AsyncRequest after) throws SQLException {
        heads.clear();
        write(before, after);
    }

    /**
     * Saves a lease of a request {@link #queueHead} returned and remembers it, so that its holder's report need not
     * read the row back.
     */
    void saveLease(AsyncRequest queued, AsyncRequest running) throws SQLException {
        var head = heads.get(queued.deploymentId());
        if (head != null) {
            head.remove(queued);
        }
        write(queued, running);
        leases.held(running);
    }

    private void write(AsyncRequest before, AsyncRequest after) throws SQLException {
        var st = prepare(RequestRows.UPDATE);
        RequestRows.bindUpdate(st, after);
        st.executeUpdate();
        moved(before, after);
    }

    /** The request as {@code holder} leased it, if remembered: what {@link #saveIfHeld} needs to save a report. */
    Optional<AsyncRequest> heldBy(String id, String holder) {
        return leases.heldBy(id, holder);
    }

    /**
     * Saves a holder's report on the request it leased, if its lease still holds the row at {@code now}; the guard
     * in the update decides, not what {@link #heldBy} remembered.
     */
    boolean saveIfHeld(AsyncRequest leased, AsyncRequest after, Instant now) throws SQLException {
        heads.clear();
        var st = prepare(UPDATE_IF_HELD);
        RequestRows.bindUpdate(st, after);
        st.setString(RequestRows.UPDATE_PARAMETERS + 1, leased.leaseHolder());
        st.setLong(RequestRows.UPDATE_PARAMETERS + 2, now.toEpochMilli());
        if (st.executeUpdate() == 0) {
            leases.forget(leased.id());
            return false;
        }
        moved(leased, after);
        if (after.state() == State.RUNNING) {
            leases.held(after); // renewed
        } else {
            leases.forget(after.id());
        }
        return true;
    }

    private void moved(AsyncRequest before, AsyncRequest after) {
        if (before.state() == State.QUEUED && after.state() != State.QUEUED) {
            depths.removed(before.deploymentId(), before.acceptedAt());
        } else if (before.state() != State.QUEUED && after.state() == State.QUEUED) {
            depths.added(after.deploymentId(), after.acceptedAt());
        }
        if (!before.state().isFinal() && after.state().isFinal()) {
            afterCommit.add(() -> waiters.finished(after.id()));
        }
    }

    /** Runs an update or delete, returning how many rows it changed. */
    int update(String sql, Binder binder) throws SQLException {
        heads.clear();
        var st = prepare(sql);
        binder.bind(st);
        return st.executeUpdate();
    }

    /** Called by the writer before commit: settles what the depths could not know row by row. */
    void beforeCommit() throws SQLException {
        depths.settle(this::prepare);
    }

    /** What to run once the batch is durable (wake long polls). */
    List<Runnable> afterCommit() {
        return afterCommit;
    }
}
