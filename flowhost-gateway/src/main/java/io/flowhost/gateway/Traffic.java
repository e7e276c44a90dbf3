package io.flowhost.gateway;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One deployment's traffic at the gateway: its ready instances and their concurrency limit, the
 * calls held while no instance has room (the activator), and the demand the autoscaler reads.
 * Shared by every event loop; lock-free.
 */
public final class Traffic {

    private final String deploymentId;
    private final int maxConcurrency;
    private final int maxHeld;
    private final Duration holdTimeout;
    private final InstantSource clock;
    private final Consumer<String> wake;
    private final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger heldCount = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile List<Backend> backends = List.of();
    private volatile Instant lastArrival;
    /** Once the deployment is retired, what becomes of a call held here: it is handed on or failed, never kept. */
    private volatile Consumer<Held> retiredTo;

    /**
     * @param maxConcurrency calls one instance takes at once; more wait here
     * @param maxHeld calls held at most; more get 503 with Retry-After
     * @param holdTimeout how long a call may be held before it gets 503 "still starting"
     * @param wake called with the deployment id when a call is held, so that scaling up starts at once
     */
    Traffic(
            String deploymentId,
            int maxConcurrency,
            int maxHeld,
            Duration holdTimeout,
            InstantSource clock,
            Consumer<String> wake) {
        this.deploymentId = deploymentId;
        this.maxConcurrency = maxConcurrency;
        this.maxHeld = maxHeld;
        this.holdTimeout = holdTimeout;
        this.clock = clock;
        this.wake = wake;
        // Being deployed (or restored) counts as activity: a new deployment keeps its first instance
        // for a whole idle timeout, instead of being scaled to zero before anyone could call it.
        this.lastArrival = clock.instant();
    }

    public String deploymentId() {
        return deploymentId;
    }

    /** The instances taking new calls. */
    public List<Backend> backends() {
        return backends;
    }

    /** Calls sent to instances and not answered yet. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Calls held for want of an instance with room. */
    public int held() {
        return heldCount.get();
    }

    /** When the last call arrived, or null if none has. */
    public Instant lastArrival() {
        return lastArrival;
    }

    /** How long a call may be held waiting for an instance (the deployment's startup timeout). */
    public Duration holdTimeout() {
        return holdTimeout;
    }

    /** Calls one instance takes at once. */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    int maxHeld() {
        return maxHeld;
    }

    /** A call for this deployment arrived now: it counts as activity against the idle timeout. */
    public void arrived() {
        lastArrival = clock.instant();
    }

    /** A call wanted an instance and was not held for one: a deployment with none is woken. */
    void wanted() {
        if (backends.isEmpty()) {
            wake.accept(deploymentId);
        }
    }

    /**
     * A slot on the ready instance with the fewest calls in flight among two picked at random
     * ("power of two choices": nearly as good as scanning all, and no herding), or on any instance
     * with room if both are full; null when every instance is at its limit or none is ready.
     */
    Backend reserve() {
        var list = backends;
        int n = list.size();
        if (n == 0) {
            return null;
        }
        var random = ThreadLocalRandom.current();
        int i = random.nextInt(n);
        var a = list.get(i);
        var b = n == 1 ? a : list.get((i + 1 + random.nextInt(n - 1)) % n); // two different ones
        var first = a.inFlight() <= b.inFlight() ? a : b;
        if (take(first)) {
            return first;
        }
        for (var candidate : list) {
            if (take(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private boolean take(Backend backend) {
        if (backend.tryReserve(maxConcurrency)) {
            inFlight.incrementAndGet();
            return true;
        }
        return false;
    }

    /** Gives back a slot (the call was answered, or never sent), and lets a held call have it. */
    void release(Backend backend) {
        backend.release();
        inFlight.decrementAndGet();
        sendHeld();
    }

    /**
     * Holds a call until a slot frees up; false when too many are held already. A call for a retired deployment (its
     * caller read the routes just before) goes where the retirement sends held calls.
     */
    boolean hold(Held call) {
        var retired = retiredTo;
        if (retired != null) {
            retired.accept(call);
            return true;
        }
        if (heldCount.incrementAndGet() > maxHeld) {
            heldCount.decrementAndGet();
            return false;
        }
        held.add(call);
        call.expireAfter(
                holdTimeout.toNanos(),
                () -> {
                    if (held.remove(call)) {
                        heldCount.decrementAndGet();
                    }
                },
                "no instance had room for the call within " + holdTimeout.toSeconds() + " s (the service is still "
                        + "starting, or all its instances are busy); retry shortly");
        if (retiredTo != null) {
            // Retired while this call was being added: the retirement's sweep may have missed it, so sweep again.
            abandonHeld(retiredTo);
            return true;
        }
        wake.accept(deploymentId);
        sendHeld(); // an instance may have come ready, or freed a slot, meanwhile
        return true;
    }

    /**
     * The instance refused a connection, or dropped one with a call on it: it gets no calls for {@link Backend#SKIP}
     * (a crashed process is out of the routes by then), and then held calls are looked at again, in case it had not
     * crashed and is the only instance (nothing else would send them on).
     */
    void suspect(Backend backend, ScheduledExecutorService scheduler) {
        backend.unreachable();
        try {
            scheduler.schedule(this::sendHeld, Backend.SKIP.toNanos() + 1_000_000, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
            // the gateway is shutting down: its held calls go with it
        }
    }

    /** Lets go of a held call whose caller went away: it no longer counts against max-held, and fails now. */
    void drop(Held call) {
        if (held.remove(call)) {
            heldCount.decrementAndGet();
        }
        call.abandon("the caller closed the connection while the call waited for an instance");
    }

    /** The instances taking new calls are now these; held calls go to them. */
    void setBackends(List<Backend> ready) {
        backends = List.copyOf(ready);
        sendHeld();
    }

    /**
     * The deployment was retired: every held call, and every call held from now on (one whose caller read the routes
     * before they changed), goes through {@code answer} at once, to be handed on or failed.
     */
    void retire(Consumer<Held> answer) {
        retiredTo = answer;
        abandonHeld(answer);
    }

    /** Takes every held call out at once, answering each through {@code answer}. */
    void abandonHeld(Consumer<Held> answer) {
        Held call;
        while ((call = held.poll()) != null) {
            heldCount.decrementAndGet();
            answer.accept(call);
        }
    }

    /** Sends held calls, in arrival order, while instances have room. */
    private void sendHeld() {
        while (!held.isEmpty()) {
            var backend = reserve();
            if (backend == null) {
                return;
            }
            var call = held.poll();
            if (call == null) {
                // Another thread took the last one: give the slot back, and look again (one may just have come).
                backend.release();
                inFlight.decrementAndGet();
                continue;
            }
            heldCount.decrementAndGet();
            call.dispatch(backend);
        }
    }
}
