package io.flowhost.state.internal;

import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.domain.request.TraceContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns requests into rows of the {@code requests} table and rows back into requests, in any SQL store. */
public final class RequestRows {

    /** The columns of a whole request, in the order {@link #read} expects. */
    public static final String COLUMNS = "id, deployment_id, service, endpoint, content_type, body, request_id, "
            + "idempotency_key, callback_url, state, accepted_at, started_at, finished_at, expires_at, result_ttl_ms, "
            + "attempts, max_attempts, lease_holder, lease_until, result_status, result_content_type, result_body, "
            + "error, traceparent, tracestate";

    /** How many columns {@link #COLUMNS} names: a query may select more after them. */
    public static final int COLUMN_COUNT = 25;

    /** A new request, with its fingerprint last. */
    public static final String INSERT = "INSERT INTO requests (" + COLUMNS + ", fingerprint)"
            + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    /** Saves what a transition can change; the call itself never changes. */
    public static final String UPDATE =
            "UPDATE requests SET state = ?, started_at = ?, finished_at = ?, expires_at = ?, "
                    + "attempts = ?, lease_holder = ?, lease_until = ?, result_status = ?, result_content_type = ?, "
                    + "result_body = ?, error = ? WHERE id = ?";

    /** How many parameters {@link #UPDATE} has: a statement may add conditions with more after them. */
    public static final int UPDATE_PARAMETERS = 12;

    /** Marks a request's callback settled: its time, then the request's id. */
    public static final String SETTLE_CALLBACK = "UPDATE requests SET callback_settled_at = ? WHERE id = ?";

    /** The most requests one listing returns. */
    public static final int MAX_LIST = 1000;

    private RequestRows() {}

    /**
     * Lists a service's requests in some states, newest first, at most {@code limit} (1..{@link #MAX_LIST}); all
     * states when {@code states} is empty.
     */
    public static List<AsyncRequest> list(Connection db, String service, Set<State> states, int limit)
            throws SQLException {
        if (limit < 1 || limit > MAX_LIST) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: 1.." + MAX_LIST + ")");
        }
        var wanted = states.isEmpty() ? EnumSet.allOf(State.class) : EnumSet.copyOf(states);
        var marks = wanted.stream().map(s -> "?").collect(Collectors.joining(", "));
        try (var st = db.prepareStatement("SELECT " + COLUMNS + " FROM requests WHERE service = ? AND state IN ("
                + marks + ") ORDER BY accepted_at DESC, seq DESC LIMIT ?")) {
            int i = 1;
            st.setString(i++, service);
            for (var state : wanted) {
                st.setString(i++, state.name());
            }
            st.setInt(i, limit);
            try (var rs = st.executeQuery()) {
                var out = new ArrayList<AsyncRequest>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return Collections.unmodifiableList(out);
            }
        }
    }

    /** The finished requests whose callback is owed, oldest first: see {@code RequestStore.callbacksOwed}. */
    public static List<AsyncRequest> callbacksOwed(Connection db, Instant finishedBefore, int limit)
            throws SQLException {
        // callback_url and callback_settled_at as the partial index requests_callbacks_owed has them
        try (var st = db.prepareStatement("SELECT " + COLUMNS + " FROM requests WHERE callback_url IS NOT NULL"
                + " AND callback_settled_at IS NULL AND finished_at < ?"
                + " AND state IN ('SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED')"
                + " ORDER BY finished_at LIMIT ?")) {
            st.setLong(1, finishedBefore.toEpochMilli());
            st.setInt(2, limit);
            try (var rs = st.executeQuery()) {
                var out = new ArrayList<AsyncRequest>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return Collections.unmodifiableList(out);
            }
        }
    }

    /** The request in the current row of {@code rs}, selected with {@link #COLUMNS}. */
    public static AsyncRequest read(ResultSet rs) throws SQLException {
        var status = rs.getInt(20);
        var result = rs.wasNull() ? null : new Result(status, rs.getString(21), bytes(rs.getBytes(22)));
        return new AsyncRequest(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                bytes(rs.getBytes(6)),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                State.valueOf(rs.getString(10)),
                instant(rs, 11),
                instant(rs, 12),
                instant(rs, 13),
                instant(rs, 14),
                Duration.ofMillis(rs.getLong(15)),
                rs.getInt(16),
                rs.getInt(17),
                rs.getString(18),
                instant(rs, 19),
                result,
                rs.getString(23),
                trace(rs.getString(24), rs.getString(25)));
    }

    /** Binds every column of {@link #INSERT}. */
    public static void bindInsert(PreparedStatement st, AsyncRequest r, String fingerprint) throws SQLException {
        st.setString(1, r.id());
        st.setString(2, r.deploymentId());
        st.setString(3, r.service());
        st.setString(4, r.endpoint());
        st.setString(5, r.contentType());
        st.setBytes(6, r.body());
        st.setString(7, r.requestId());
        st.setString(8, r.idempotencyKey());
        st.setString(9, r.callbackUrl());
        st.setString(10, r.state().name());
        setInstant(st, 11, r.acceptedAt());
        setInstant(st, 12, r.startedAt());
        setInstant(st, 13, r.finishedAt());
        setInstant(st, 14, r.expiresAt());
        st.setLong(15, r.resultTtl().toMillis());
        st.setInt(16, r.attempts());
        st.setInt(17, r.maxAttempts());
        st.setString(18, r.leaseHolder());
        setInstant(st, 19, r.leaseUntil());
        bindResult(st, 20, r.result());
        st.setString(23, r.error());
        st.setString(24, r.trace() == null ? null : r.trace().traceparent());
        st.setString(25, r.trace() == null ? null : r.trace().tracestate());
        st.setString(26, fingerprint);
    }

    /** Binds every parameter of {@link #UPDATE}. */
    public static void bindUpdate(PreparedStatement st, AsyncRequest r) throws SQLException {
        st.setString(1, r.state().name());
        setInstant(st, 2, r.startedAt());
        setInstant(st, 3, r.finishedAt());
        setInstant(st, 4, r.expiresAt());
        st.setInt(5, r.attempts());
        st.setString(6, r.leaseHolder());
        setInstant(st, 7, r.leaseUntil());
        bindResult(st, 8, r.result());
        st.setString(11, r.error());
        st.setString(12, r.id());
    }

    private static void bindResult(PreparedStatement st, int first, Result result) throws SQLException {
        if (result == null) {
            st.setNull(first, Types.INTEGER);
            st.setNull(first + 1, Types.VARCHAR);
            st.setNull(first + 2, Types.BINARY); // BINARY, not BLOB: PostgreSQL reads BLOB as a large-object oid
        } else {
            st.setInt(first, result.status());
            st.setString(first + 1, result.contentType());
            st.setBytes(first + 2, result.body());
        }
    }

    /** As stored: checked when it was accepted, so not parsed again. */
    private static TraceContext trace(String traceparent, String tracestate) {
        return traceparent == null ? null : new TraceContext(traceparent, tracestate);
    }

    private static void setInstant(PreparedStatement st, int index, Instant at) throws SQLException {
        if (at == null) {
            st.setNull(index, Types.INTEGER);
        } else {
            st.setLong(index, at.toEpochMilli());
        }
    }

    private static Instant instant(ResultSet rs, int index) throws SQLException {
        long millis = rs.getLong(index);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** SQLite hands back NULL for an empty BLOB. */
    private static byte[] bytes(byte[] b) {
        return b == null ? new byte[0] : b;
    }
}
