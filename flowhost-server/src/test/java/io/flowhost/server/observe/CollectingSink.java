package io.flowhost.server.observe;

import java.util.concurrent.ConcurrentLinkedDeque;

/** A request-log sink registered in the test class path's META-INF/services: keeps the last lines it was given. */
public final class CollectingSink implements RequestLogSink {

    private static final int KEEP = 10_000;
    static final ConcurrentLinkedDeque<String> LINES = new ConcurrentLinkedDeque<>();

    @Override
    public void accept(String jsonLine) {
        LINES.addLast(jsonLine);
        while (LINES.size() > KEEP) {
            LINES.pollFirst();
        }
    }
}
