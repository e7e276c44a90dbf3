package io.flowhost.runtime.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When each step of an instance's start happened, in epoch milliseconds, so that the server can
 * break a cold start down: main, listening, constructor start and end (the server knows when it
 * spawned the process and when the process had started).
 */
final class StartTimings {

    private final long main;
    private volatile long listening;
    private volatile long constructing;
    private volatile long constructed;

    StartTimings(long mainStartedAt) {
        this.main = mainStartedAt;
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
        out.put("main", main);
        out.put("listening", listening);
        out.put("constructing", constructing);
        out.put("constructed", constructed);
        return out;
    }
}
