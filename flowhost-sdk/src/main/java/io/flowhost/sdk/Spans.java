package io.flowhost.sdk;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A service's own tracing: spans that nest under the span of the call being handled, and
 * attributes on the current span. When tracing is off (or outside flowhost) it does nothing
 * and only runs the work.
 */
public interface Spans {

    /** Spans that record nothing. */
    Spans NOOP = new Spans() {
        @Override
        public <T> T inSpan(String name, Map<String, ?> attributes, Callable<T> work) throws Exception {
            return work.call();
        }

        @Override
        public void setAttribute(String key, Object value) {}
    };

    /**
     * Runs the work in a span of that name, a child of the current one, with the attributes given;
     * an exception it throws is recorded on the span and thrown on.
     */
    <T> T inSpan(String name, Map<String, ?> attributes, Callable<T> work) throws Exception;

    /** Sets an attribute (a string, number or boolean; anything else as its string) on the current span. */
    void setAttribute(String key, Object value);
}
