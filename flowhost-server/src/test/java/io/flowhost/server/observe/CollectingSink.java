package io.flowhost.server.observe;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A request-log sink registered in the test class path's META-INF/services, so every server test's
 * request log has it: keeps the last 10,000 lines it was given, at a constant cost per line.
 */
public final class CollectingSink implements RequestLogSink {

    static final BlockingQueue<String> LINES = new ArrayBlockingQueue<>(10_000);

    @Override
    public void accept(String jsonLine) {
        while (!LINES.offer(jsonLine)) {
            LINES.poll(); // full: the oldest line makes room
        }
    }
}
