package io.flowhost.gateway;

import io.flowhost.domain.instance.NotReadyException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A call the gateway holds because no instance has room for it yet (its deployment is waking
 * from zero, or every instance is at its concurrency limit). Exactly one thing happens to it,
 * sent on or failed, and it happens on the event loop of the caller's connection.
 */
final class Held {

    private final EventLoop loop;
    private final Consumer<Backend> send;
    private final Consumer<NotReadyException> fail;
    private final AtomicBoolean settled = new AtomicBoolean();
    private ScheduledFuture<?> timer;

    /**
     * @param loop the caller's event loop, where the call continues
     * @param send sends the call to the instance whose slot was reserved for it
     * @param fail answers the caller 503 with the given reason
     */
    Held(EventLoop loop, Consumer<Backend> send, Consumer<NotReadyException> fail) {
        this.loop = loop;
        this.send = send;
        this.fail = fail;
    }

    /** Starts (or restarts) the clock: if nothing frees a slot in time, the call fails saying so. */
    synchronized void expireAfter(long nanos, Runnable onExpiry, String detail) {
        if (timer != null) {
            timer.cancel(false);
        }
        timer = loop.schedule(
                () -> {
                    if (settled.compareAndSet(false, true)) {
                        onExpiry.run();
                        fail.accept(new NotReadyException(detail, 2));
                    }
                },
                nanos,
                TimeUnit.NANOSECONDS);
    }

    /** Sends the call to the backend whose slot was reserved; gives the slot back if the call already failed. */
    void dispatch(Backend backend) {
        onLoop(() -> {
            if (settled.compareAndSet(false, true)) {
                cancelTimer();
                send.accept(backend);
            } else {
                backend.traffic().release(backend);
            }
        });
    }

    /** Fails the call now with the given detail, unless it was already sent or failed. */
    void abandon(String detail) {
        onLoop(() -> {
            if (settled.compareAndSet(false, true)) {
                cancelTimer();
                fail.accept(new NotReadyException(detail, 2));
            }
        });
    }

    /** Runs on the caller's event loop; when the gateway is shutting down, that connection is gone with it. */
    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException closing) {
            settled.set(true);
        }
    }

    private synchronized void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
