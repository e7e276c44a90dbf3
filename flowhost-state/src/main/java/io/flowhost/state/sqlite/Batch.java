package io.flowhost.state.sqlite;

import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.State;
import io.flowhost.state.internal.RequestRows;
import io.flowhost.state.internal.Waiters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
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

    /** {@link RequestRows#COLUMNS} with an empty request body in place of the real one. */
    private static final String COLUMNS_BUT_BODY = RequestRows.COLUMNS.replace(" body,", " X'' AS body,");

    private final Connection db;
    private final Map<String, PreparedStatement> statements;
    private final Depths depths;
    private final Waiters waiters;
    private final List<Runnable> afterCommit = new ArrayList<>();

    Batch(Connection db, Map<String, PreparedStatement> statements, Depths depths, Waiters waiters) {
        this.db = db;
        this.statements = statements;
        this.depths = depths;
        this.waiters = waiters;
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

    /** Queued requests of the deployment, counting this batch's own changes. */
    int queued(String deploymentId) {
        return depths.stagedQueued(deploymentId);
    }

    /** Stores a new (queued) request with the fingerprint of the call it was accepted as. */
    void insert(AsyncRequest r, String fingerprint) throws SQLException {
        var st = prepare(RequestRows.INSERT);
        RequestRows.bindInsert(st, r, fingerprint);
        st.executeUpdate();
        depths.added(r.deploymentId(), r.acceptedAt());
    }

    /** Saves a transition from {@code before} to {@code after}, counting queue moves and waking long polls. */
    void save(AsyncRequest before, AsyncRequest after) throws SQLException {
        var st = prepare(RequestRows.UPDATE);
        RequestRows.bindUpdate(st, after);
        st.executeUpdate();
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
