package io.flowhost.runtime.internal;

import io.flowhost.domain.service.ServiceDescriptor.BatchSettings;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.wire.protocol.RequestIds;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers the calls of one batched endpoint (or model) into batches and runs it once per batch, on a thread of its own
 * (one batch at a time: the model's own threads do the rest). A batch is what is waiting when the method is free:
 * a lone call runs at once, on its own thread; when others are waiting, the batch waits at most the endpoint's
 * delay for more, up to its size.
 */
final class Batcher {

    private static final System.Logger LOG = System.getLogger("flowhost.instance");

    /**
     * How one call's item came out.
     *
     * @param value its answer (when {@code failure} is null)
     * @param failure a {@link CallRejectedException} for this item, or what the method threw for the whole batch
     * @param errorId the id every call of a batch that threw shares, or null
     * @param size how many calls the batch held
     * @param queuedNanos how long this call waited for its batch to start
     */
    record Outcome(Object value, Throwable failure, String errorId, int size, long queuedNanos) {}

    /** What runs a batch: one answer per item, in their order. */
    @FunctionalInterface
    interface Run {
        List<?> apply(List<Object> items) throws Throwable;
    }

    private record Item(Object input, long enqueued, CompletableFuture<Outcome> done) {}

    private final String name;
    private final Run run;
    private final int maxSize;
    private final long maxDelayNanos;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    /** Held while a batch runs: one at a time, on the batch thread or on a lone caller's own. */
    private final ReentrantLock running = new ReentrantLock();

    private final AtomicInteger pending = new AtomicInteger();

    /** @param name the endpoint's (or the model's infer), for messages */
    Batcher(String name, BatchSettings settings, Run run) {
        this.name = name;
        this.run = run;
        this.maxSize = settings.maxSize();
        this.maxDelayNanos = settings.delay().toNanos();
        Thread.ofVirtual().name("batch-" + name).start(this::run);
    }

    /** A batched endpoint's batcher: the method called on the service with the batch's items. */
    static Batcher of(EndpointBinding endpoint, Object service) {
        return new Batcher(endpoint.name(), endpoint.batch(), items -> {
            var result = endpoint.call(service, items);
            if (!(result instanceof List<?> answers)) {
                throw new IllegalStateException("batched endpoint '" + endpoint.name() + "' returned "
                        + result + " for " + items.size() + " items: it must return one answer per item, in their"
                        + " order");
            }
            return answers;
        });
    }

    /**
     * Runs one call's item: at once on the caller's own thread when nothing runs and nothing waits (a lone call pays
     * no hand-off to the batch thread and back), else queued for the next batch, waiting for its answer.
     */
    Outcome call(Object input) throws InterruptedException {
        var item = new Item(input, System.nanoTime(), new CompletableFuture<>());
        if (queue.isEmpty() && running.tryLock()) {
            try {
                if (queue.isEmpty()) {
                    runBatch(List.of(item));
                    return item.done().join();
                }
            } finally {
                running.unlock();
            }
        }
        pending.incrementAndGet();
        queue.add(item);
        try {
            return item.done().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a batch completes its items, never fails them", e);
        }
    }

    /** Calls queued and not yet running in a batch (for tests). */
    int waiting() {
        return pending.get();
    }

    private void run() {
        while (true) {
            try {
                var first = queue.take();
                running.lock();
                try {
                    var batch = gather(first);
                    pending.addAndGet(-batch.size());
                    runBatch(batch);
                } finally {
                    running.unlock();
                }
            } catch (InterruptedException e) {
                return; // the instance is stopping
            }
        }
    }

    /** The batch that starts with this item: what is waiting, and when others were, what joins within the delay. */
    private List<Item> gather(Item first) throws InterruptedException {
        var batch = new ArrayList<Item>(Math.min(maxSize, 64));
        batch.add(first);
        queue.drainTo(batch, maxSize - 1);
        if (batch.size() > 1 && batch.size() < maxSize && maxDelayNanos > 0) {
            long deadline = System.nanoTime() + maxDelayNanos;
            while (batch.size() < maxSize) {
                long left = deadline - System.nanoTime();
                var more = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                if (more == null) {
                    break;
                }
                batch.add(more);
                queue.drainTo(batch, maxSize - batch.size());
            }
        }
        return batch;
    }

    private void runBatch(List<Item> batch) {
        long started = System.nanoTime();
        var inputs = new ArrayList<>(batch.size());
        for (var item : batch) {
            inputs.add(item.input());
        }
        List<?> answers;
        try {
            answers = run.apply(inputs);
            if (answers == null || answers.size() != batch.size()) {
                throw new IllegalStateException("batched endpoint '" + name + "' returned "
                        + (answers == null ? "null" : answers.size() + " answers") + " for " + batch.size()
                        + " items: it must return one answer per item, in their order");
            }
        } catch (Throwable e) {
            var errorId = RequestIds.next();
            LOG.log(
                    Level.ERROR,
                    "batched endpoint '" + name + "' failed on a batch of " + batch.size() + " (error id " + errorId
                            + ")",
                    e);
            for (var item : batch) {
                item.done().complete(new Outcome(null, e, errorId, batch.size(), started - item.enqueued()));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            var item = batch.get(i);
            var answer = answers.get(i);
            item.done()
                    .complete(
                            answer instanceof CallRejectedException rejected
                                    ? new Outcome(null, rejected, null, batch.size(), started - item.enqueued())
                                    : new Outcome(answer, null, null, batch.size(), started - item.enqueued()));
        }
    }
}
