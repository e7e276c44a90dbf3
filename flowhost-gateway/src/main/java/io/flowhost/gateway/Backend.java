package io.flowhost.gateway;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance as the gateway sees it: where it listens (a port, and a Unix socket when it runs on this host), how
 * many calls it has in flight, and the deployment's {@link Traffic} that its answered calls are reported back to.
 */
public final class Backend {

    private final String instanceId;
    private final InetSocketAddress address;
    private final Path socket;
    private final Traffic traffic;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long unreachableUntil;
    private volatile boolean retired;

    Backend(String instanceId, InetSocketAddress address, Path socket, Traffic traffic) {
        this.instanceId = instanceId;
        this.address = address;
        this.socket = socket;
        this.traffic = traffic;
    }

    public String instanceId() {
        return instanceId;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The Unix socket it takes calls on too, or null: the gateway connects there when its transport can. */
    public Path socket() {
        return socket;
    }

    /** Calls sent to this instance that have not been answered yet. */
    public int inFlight() {
        return inFlight.get();
    }

    Traffic traffic() {
        return traffic;
    }

    /**
     * Takes a slot if fewer than {@code limit} calls are in flight and the instance was reachable
     * lately; the slot is given back by {@link #release}.
     */
    boolean tryReserve(int limit) {
        if (retired || (unreachableUntil != 0 && System.nanoTime() < unreachableUntil)) {
            return false;
        }
        while (true) {
            int now = inFlight.get();
            if (now >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                break;
            }
        }
        // Picked from a list read before it left the routes: its drain may have read the count before this slot
        // was taken, so the slot is given back. Retiring sets the flag before reading the count, so either this
        // sees the flag or the drain sees the slot.
        if (retired) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** It left the routes: it takes no new call from now on; returns the calls still in flight on it. */
    int retire() {
        retired = true;
        return inFlight.get();
    }

    /** How long an instance that refused a connection or dropped a call gets no calls: time to hear of a crash. */
    static final Duration SKIP = Duration.ofSeconds(1);

    /** It refused a connection or dropped a call: it is skipped for {@link #SKIP}. */
    void unreachable() {
        unreachableUntil = System.nanoTime() + SKIP.toNanos();
    }

    void release() {
        inFlight.decrementAndGet();
    }
}
