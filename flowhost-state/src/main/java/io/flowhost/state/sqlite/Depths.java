package io.flowhost.state.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many requests each deployment has queued and since when, kept in memory so the autoscaler and the dispatcher
 * can ask on every tick without a query.
 *
 * <p>The writer thread stages its changes while a batch runs and publishes them only once the batch has committed,
 * so readers never count a request that a rolled-back batch did not store.
 */
final class Depths {

    /** The writer's statements, prepared once and kept (not to be closed). */
    @FunctionalInterface
    interface Statements {
        PreparedStatement prepare(String sql) throws SQLException;
    }

    /** One deployment's queue: its length and the acceptance time of its oldest request (null when empty). */
    record Depth(int queued, Instant oldest) {}

    private static final Depth EMPTY = new Depth(0, null);

    private final Map<String, Depth> published = new ConcurrentHashMap<>();
    private final Map<String, Depth> staged = new HashMap<>();
    private final Set<String> staleOldest = new HashSet<>();

    /** The depths as the database has them, counted once when the store opens. */
    static Depths load(Connection db) throws SQLException {
        var depths = new Depths();
        try (var st = db.prepareStatement("SELECT deployment_id, COUNT(*), MIN(accepted_at) FROM requests"
                        + " WHERE state = 'QUEUED' GROUP BY deployment_id");
                var rs = st.executeQuery()) {
            while (rs.next()) {
                depths.published.put(rs.getString(1), new Depth(rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3))));
            }
        }
        return depths;
    }

    /** Requests queued for the deployment, as of the last commit. */
    int queued(String deploymentId) {
        return published.getOrDefault(deploymentId, EMPTY).queued();
    }

    /** When its oldest queued request was accepted, as of the last commit. */
    Optional<Instant> oldest(String deploymentId) {
        return Optional.ofNullable(published.getOrDefault(deploymentId, EMPTY).oldest());
    }

    /** The deployments with at least one queued request, as of the last commit. */
    Set<String> deployments() {
        return Set.copyOf(published.keySet());
    }

    /** Writer thread: queued requests, counting this batch's changes so far (for the max-queued check). */
    int stagedQueued(String deploymentId) {
        return current(deploymentId).queued();
    }

    /** Writer thread: a request accepted at {@code acceptedAt} joined the deployment's queue. */
    void added(String deploymentId, Instant acceptedAt) {
        var d = current(deploymentId);
        var oldest = d.oldest() == null || acceptedAt.isBefore(d.oldest()) ? acceptedAt : d.oldest();
        staged.put(deploymentId, new Depth(d.queued() + 1, oldest));
    }

    /** Writer thread: a request accepted at {@code acceptedAt} left the deployment's queue. */
    void removed(String deploymentId, Instant acceptedAt) {
        var d = current(deploymentId);
        staged.put(deploymentId, new Depth(Math.max(0, d.queued() - 1), d.oldest()));
        if (acceptedAt.equals(d.oldest())) {
            staleOldest.add(deploymentId); // the next oldest is found in settle, once per batch, not per lease
        }
    }

    /** Writer thread, before commit: finds the new oldest of queues whose oldest left, within the transaction. */
    void settle(Statements statements) throws SQLException {
        for (var deploymentId : staleOldest) {
            var d = staged.get(deploymentId);
            if (d.queued() == 0) {
                staged.put(deploymentId, EMPTY);
                continue;
            }
            var st = statements.prepare(
                    "SELECT MIN(accepted_at) FROM requests WHERE state = 'QUEUED' AND deployment_id = ?");
            st.setString(1, deploymentId);
            try (var rs = st.executeQuery()) {
                rs.next();
                staged.put(deploymentId, new Depth(d.queued(), Instant.ofEpochMilli(rs.getLong(1))));
            }
        }
        staleOldest.clear();
    }

    /** Writer thread, after commit: readers now see the batch's changes. */
    void publish() {
        staged.forEach((deploymentId, d) -> {
            if (d.queued() == 0) {
                published.remove(deploymentId);
            } else {
                published.put(deploymentId, d);
            }
        });
        staged.clear();
    }

    /** Writer thread, after a rollback: forgets the batch's changes. */
    void discard() {
        staged.clear();
        staleOldest.clear();
    }

    private Depth current(String deploymentId) {
        var d = staged.get(deploymentId);
        return d != null ? d : published.getOrDefault(deploymentId, EMPTY);
    }
}
