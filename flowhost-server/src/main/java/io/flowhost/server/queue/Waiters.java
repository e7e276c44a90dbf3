package io.flowhost.server.queue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Callers long-polling for requests to finish, told when the writer commits a final state. */
final class Waiters {

    private final Map<String, Set<CompletableFuture<AsyncRequest>>> byId = new ConcurrentHashMap<>();

    /**
     * A future for the request's final state. Register before reading the row: a finish committed after the read is
     * then seen here, and one committed before it is seen by the read.
     */
    CompletableFuture<AsyncRequest> register(String id) {
        var future = new CompletableFuture<AsyncRequest>();
        byId.compute(id, (k, set) -> {
            var s = set == null ? new HashSet<CompletableFuture<AsyncRequest>>() : set;
            s.add(future);
            return s;
        });
        // A caller's timeout completes the future; forget it then, or abandoned polls would pile up.
        future.whenComplete((r, e) -> forget(id, future));
        return future;
    }

    /** Completes every wait for this request with its final state. */
    void finished(AsyncRequest request) {
        var waiting = byId.remove(request.id());
        if (waiting != null) {
            waiting.forEach(f -> f.complete(request));
        }
    }

    /** Fails every wait, when the store closes. */
    void failAll(RuntimeException why) {
        for (var id : Set.copyOf(byId.keySet())) {
            var waiting = byId.remove(id);
            if (waiting != null) {
                waiting.forEach(f -> f.completeExceptionally(why));
            }
        }
    }

    /** How many requests someone waits for (for tests: abandoned waits must not accumulate). */
    int size() {
        return byId.size();
    }

    private void forget(String id, CompletableFuture<AsyncRequest> future) {
        byId.computeIfPresent(id, (k, set) -> {
            set.remove(future);
            return set.isEmpty() ? null : set;
        });
    }
}
