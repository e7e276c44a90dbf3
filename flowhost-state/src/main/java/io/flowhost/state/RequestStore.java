package io.flowhost.state;

import io.flowhost.domain.deployment.Retention;
import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.IdempotencyKeyReusedException;
import io.flowhost.domain.request.NewRequest;
import io.flowhost.domain.request.QueueFullException;
import io.flowhost.domain.request.Result;
import io.flowhost.domain.request.State;
import io.flowhost.domain.request.Submitted;
import io.flowhost.domain.request.UnknownRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The durable queue of asynchronous requests and their results: accepted once committed, leased to one runner
 * at a time, answered or retried, cancelled, expired and deleted by the rules of {@code Transitions}. Time is
 * always passed in, never read here. Every implementation passes the contract suites in this module's test jar
 * ({@code io.flowhost.state.contract}).
 */
public interface RequestStore extends AutoCloseable {

    /**
     * Accepts a request; the future completes once it is committed to disk, so acknowledge the caller only then.
     * An idempotency key names one request while that request is kept (until its result TTL): sent again with the
     * same {@linkplain NewRequest#fingerprint() fingerprint} (method, path, content type and body), the future holds
     * the earlier request and {@code duplicate = true}; with any other, it fails with
     * {@link IdempotencyKeyReusedException} and nothing is stored. It fails with {@link QueueFullException} when the
     * deployment already has {@code retention.maxQueued()} requests queued, or {@link RequestStoreException} when the
     * write failed.
     */
    CompletableFuture<Submitted> submit(NewRequest request, Retention retention, Instant now);

    /** The request with this id, as last committed; empty if unknown or deleted after its result TTL. */
    Optional<AsyncRequest> get(String id);

    /** A service's requests in the given states (all when empty), newest first, at most {@code limit} (1..1000). */
    List<AsyncRequest> list(String service, Set<State> states, int limit);

    /** How many requests the deployment has queued; cheap enough for every autoscaler tick. */
    int queued(String deploymentId);

    /** When the deployment's oldest queued request was accepted (cheap, as above); empty when its queue is empty. */
    Optional<Instant> oldestQueued(String deploymentId);

    /** The deployments with at least one queued request (cheap, as above), for the dispatcher. */
    Set<String> deploymentsWithQueued();

    /**
     * Takes the deployment's oldest queued request (arrival order) and marks it RUNNING, one more attempt, leased to
     * {@code holder} until {@code now + lease}; empty when nothing is queued. Use a holder id unique to this attempt
     * (e.g. instance id and a counter), so a late report of an earlier attempt cannot pass for this one's.
     */
    Optional<AsyncRequest> lease(String deploymentId, String holder, Duration lease, Instant now);

    /** Like {@link #lease(String, String, Duration, Instant)} for up to {@code max} requests in one commit. */
    List<AsyncRequest> lease(String deploymentId, String holder, Duration lease, int max, Instant now);

    /**
     * {@link #lease(String, String, Duration, int, Instant)} without blocking the caller, for a dispatcher that runs
     * on callbacks; by default the blocking call on a virtual thread of its own.
     */
    default CompletableFuture<List<AsyncRequest>> leaseAsync(
            String deploymentId, String holder, Duration lease, int max, Instant now) {
        return CompletableFuture.supplyAsync(
                () -> lease(deploymentId, holder, lease, max, now), RequestStore::onVirtualThread);
    }

    /** Gives a lease holder {@code lease} more from now, for a long call still running; false if it lost the lease. */
    boolean renew(String id, String holder, Duration lease, Instant now);

    /**
     * Records the endpoint's answer: SUCCEEDED on 2xx, FAILED for good otherwise (the handler's own 4xx is not
     * retried). False, and the result dropped, if {@code holder} no longer holds the lease (it expired or was taken
     * back).
     */
    boolean complete(String id, String holder, Result result, Instant now);

    /** {@link #complete} without blocking the caller; by default the blocking call on a virtual thread of its own. */
    default CompletableFuture<Boolean> completeAsync(String id, String holder, Result result, Instant now) {
        return CompletableFuture.supplyAsync(() -> complete(id, holder, result, now), RequestStore::onVirtualThread);
    }

    /**
     * Records an attempt that gave no answer (instance crash, timeout): queued again if attempts remain, else FAILED
     * with {@code why}. False if {@code holder} no longer holds the lease.
     */
    boolean retryOrFail(String id, String holder, String why, Instant now);

    /** {@link #retryOrFail} without blocking the caller; by default the blocking call on a virtual thread of its own. */
    default CompletableFuture<Boolean> retryOrFailAsync(String id, String holder, String why, Instant now) {
        return CompletableFuture.supplyAsync(() -> retryOrFail(id, holder, why, now), RequestStore::onVirtualThread);
    }

    /**
     * Cancels a queued request; returns it as it is afterwards: CANCELLED, or unchanged when it was not queued (the
     * caller answers 409), or empty when unknown.
     */
    Optional<AsyncRequest> cancel(String id, Instant now);

    /** Takes back running requests whose lease ended by {@code now} (queued again, or FAILED); returns how many. */
    int reclaimExpiredLeases(Instant now);

    /**
     * On startup, before dispatching: every RUNNING request lost its holder with the old process, so it is queued
     * again, or FAILED when out of attempts; returns how many.
     */
    int recoverAfterRestart(Instant now);

    /**
     * Expires requests queued past their queue TTL (kept as EXPIRED for the result TTL, so callers get 410 rather
     * than 404) and deletes finished ones past their result TTL; at most 1000 of each per call. Returns rows touched:
     * call again soon when it is 1000 or more.
     */
    int sweep(Instant now);

    /**
     * Requests in a final state (SUCCEEDED, FAILED, EXPIRED or CANCELLED) whose callback is owed: it has a callback
     * URL, the request finished before {@code finishedBefore}, and its callback is not {@linkplain #callbackSettled
     * settled}; oldest first, at most {@code limit}.
     */
    List<AsyncRequest> callbacksOwed(Instant finishedBefore, int limit);

    /** Marks the request's callback settled (delivered, or given up): it is owed no more. */
    void callbackSettled(String id, Instant now);

    /**
     * Completes when the request reaches a final state, at once if it has already; fails with
     * {@link UnknownRequestException} if there is no such request. Add your own timeout ({@code orTimeout}).
     */
    CompletableFuture<AsyncRequest> whenFinished(String id);

    /** Commits what is already submitted, then closes; later calls fail with {@link RequestStoreException}. */
    void close();

    /** Where the default async methods run their blocking call: a virtual thread of its own. */
    private static void onVirtualThread(Runnable task) {
        Thread.ofVirtual().start(task);
    }
}
