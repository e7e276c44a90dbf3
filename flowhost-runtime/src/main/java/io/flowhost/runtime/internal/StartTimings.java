package io.flowhost.runtime.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When each step of an instance's start happened, in epoch milliseconds, so that the server can
 * break a cold start down: process start (from the OS), main, listening, constructor start and end.
 */
final class StartTimings {

    private final long process;
    private final long main;
    private volatile long listening;
    private volatile long constructing;
    private volatile long constructed;

    StartTimings(long mainStartedAt) {
        this.main = mainStartedAt;
        // From /proc, not the JVM's management beans: those cost tens of milliseconds to load at start.
        this.process = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli()).orElse(mainStartedAt);
    }

    void listening() {
        listening = System.currentTimeMillis();
    }

    void constructing() {
        constructing = System.currentTimeMillis();
    }

    void constructed() {
        constructed = System.currentTimeMillis();
    }

    Map<String, Long> asMap() {
        var out = new LinkedHashMap<String, Long>();
        out.put("process", process);
        out.put("main", main);
        out.put("listening", listening);
        out.put("constructing", constructing);
        out.put("constructed", constructed);
        return out;
    }
}
