package io.flowhost.state.internal;

import io.flowhost.domain.request.AsyncRequest;
import io.flowhost.domain.request.UnknownRequestException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Callers long-polling for requests to finish, told when the writer commits a final state. */
public final class Waiters {

    private final Map<String, Set<CompletableFuture<AsyncRequest>>> byId = new ConcurrentHashMap<>();
    private final Function<String, Optional<AsyncRequest>> load;

    /** Waiters that read a finished request with {@code load}, and only when someone waits for it. */
    public Waiters(Function<String, Optional<AsyncRequest>> load) {
        this.load = load;
    }

    /**
     * A future for the request's final state. Register before reading the row: a finish committed after the read is
     * then seen here, and one committed before it is seen by the read.
     */
    public CompletableFuture<AsyncRequest> register(String id) {
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

    /**
     * Completes every wait for this request with its final state, read after the commit; the writer passes only the
     * id, so it can move requests without loading their bodies.
     */
    public void finished(String id) {
        var waiting = byId.remove(id);
        if (waiting == null) {
            return;
        }
        var request = load.apply(id);
        if (request.isPresent()) {
            waiting.forEach(f -> f.complete(request.get()));
        } else {
            waiting.forEach(f -> f.completeExceptionally(new UnknownRequestException(id)));
        }
    }

    /** The requests someone waits for now, for a store to read again when it may have missed their finish. */
    public Set<String> waitedFor() {
        return Set.copyOf(byId.keySet());
    }

    /**
     * A future for the request's final state: registered first, then the request read, so that a finish between
     * the two is not missed; complete at once when it is final already, failed when there is no such request.
     */
    public CompletableFuture<AsyncRequest> whenFinished(String id) {
        var future = register(id);
        var now = load.apply(id);
        if (now.isEmpty()) {
            future.completeExceptionally(new UnknownRequestException(id));
        } else if (now.get().state().isFinal()) {
            future.complete(now.get());
        }
        return future;
    }

    /** Fails every wait, when the store closes. */
    public void failAll(RuntimeException why) {
        for (var id : Set.copyOf(byId.keySet())) {
            var waiting = byId.remove(id);
            if (waiting != null) {
                waiting.forEach(f -> f.completeExceptionally(why));
            }
        }
    }

    /** How many requests someone waits for (for tests: abandoned waits must not accumulate). */
    public int size() {
        return byId.size();
    }

    private void forget(String id, CompletableFuture<AsyncRequest> future) {
        byId.computeIfPresent(id, (k, set) -> {
            set.remove(future);
            return set.isEmpty() ? null : set;
        });
    }
}
