package io.flowhost.domain.request;

/**
 * The W3C trace context an async request was accepted in, kept with it so that its run, however much later, joins
 * the same trace: the {@code traceparent} and {@code tracestate} headers the dispatcher sends on its call.
 *
 * @param traceparent {@code <version>-<trace id>-<parent span id>-<flags>}, e.g.
 *                    {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}
 * @param tracestate  the vendors' list that goes with it, or null
 */
public record TraceContext(String traceparent, String tracestate) {

    /** W3C asks to pass on at least this much of {@code tracestate}; a longer one is dropped rather than kept. */
    static final int MAX_TRACESTATE = 512;

    /** The trace context of these headers, or null when {@code traceparent} is missing or not valid. */
    public static TraceContext of(String traceparent, String tracestate) {
        if (!valid(traceparent)) {
            return null;
        }
        boolean keepState = tracestate != null && !tracestate.isBlank() && tracestate.length() <= MAX_TRACESTATE;
        return new TraceContext(traceparent, keepState ? tracestate : null);
    }

    /** The 32 hex digits of the trace id. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }

    /**
     * The W3C Trace Context rules for {@code traceparent}: lowercase hex fields of 2, 32, 16 and 2 digits, a version
     * other than {@code ff}, ids not all zeros; version 00 has exactly these four fields, a later version may add
     * more after a {@code -}.
     */
    public static boolean valid(String header) {
        if (header == null
                || header.length() < 55
                || header.charAt(2) != '-'
                || header.charAt(35) != '-'
                || header.charAt(52) != '-'
                || !hex(header, 0, 2)
                || !hex(header, 53, 55)
                || header.startsWith("ff")
                || !nonZeroHex(header, 3, 35)
                || !nonZeroHex(header, 36, 52)) {
            return false;
        }
        return header.startsWith("00") ? header.length() == 55 : header.length() == 55 || header.charAt(55) == '-';
    }

    private static boolean nonZeroHex(String s, int from, int to) {
        return hex(s, from, to) && !s.substring(from, to).chars().allMatch(c -> c == '0');
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
