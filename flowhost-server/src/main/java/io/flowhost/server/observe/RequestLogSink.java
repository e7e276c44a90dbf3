package io.flowhost.server.observe;

/**
 * Receives every call's request-log line, as JSON, besides the log file (and, if it overrides {@link #audit}, the
 * audit trail's): implement it and list the
 * class in {@code META-INF/services/io.flowhost.server.observe.RequestLogSink} on the server's
 * class path to send the log to another system. Called on the request log's own thread, never on a
 * call's: a slow sink delays the log, not the calls (lines beyond the buffer are dropped and counted).
 */
public interface RequestLogSink extends AutoCloseable {

    /** One line: a JSON object without the trailing newline. */
    void accept(String jsonLine);

    /**
     * One line of the audit trail (a management action or a refused attempt), as JSON without the trailing newline;
     * ignored unless overridden, so that a sink takes the audit trail only when it says so.
     */
    default void audit(String jsonLine) {}

    @Override
    default void close() {}
}
