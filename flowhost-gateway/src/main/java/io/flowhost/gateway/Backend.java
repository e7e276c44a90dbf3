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
        if (unreachableUntil != 0 && System.nanoTime() < unreachableUntil) {
            return false;
        }
        while (true) {
            int now = inFlight.get();
            if (now >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
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
