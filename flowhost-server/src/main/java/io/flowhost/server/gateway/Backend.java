package io.flowhost.server.gateway;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** One ready instance as the gateway sees it: where it listens and how many calls it has in flight. */
public final class Backend {

    private final String instanceId;
    private final InetSocketAddress address;
    private final AtomicInteger inFlight = new AtomicInteger();

    public Backend(String instanceId, InetSocketAddress address) {
        this.instanceId = instanceId;
        this.address = address;
    }

    public String instanceId() {
        return instanceId;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Calls sent to this instance that have not been answered yet. */
    public int inFlight() {
        return inFlight.get();
    }

    void begin() {
        inFlight.incrementAndGet();
    }

    void end() {
        inFlight.decrementAndGet();
    }
}
