package io.flowhost.wire.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How a streamed answer is framed: JSON Lines (one JSON value per line, the default) or Server-Sent Events (one
 * {@code data:} event per value). Either ends, when the stream fails after its first chunk, with one error in the same
 * framing: the line {@code {"error": problem}}, or an {@code event: error} whose data is the problem.
 */
public enum StreamFormat {
    JSON_LINES("application/jsonl"),
    EVENTS("text/event-stream");

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_EVENT = "event: error\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR_LINE = "{\"error\":".getBytes(StandardCharsets.US_ASCII);

    private final String mediaType;

    StreamFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    /** The {@code Content-Type} of a stream in this format. */
    public String mediaType() {
        return mediaType;
    }

    /**
     * The format a caller asked for with its {@code Accept} header: events when it names {@code text/event-stream}
     * (as browsers' {@code EventSource} does), JSON Lines otherwise, whatever else it names.
     */
    public static StreamFormat accepted(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/event-stream") ? EVENTS : JSON_LINES;
    }

    /** The format of an answer with this {@code Content-Type}, or null when it is not a stream. */
    public static StreamFormat ofContentType(String contentType) {
        if (contentType == null) {
            return null;
        }
        var type = contentType.toLowerCase(Locale.ROOT);
        if (type.startsWith(JSON_LINES.mediaType) || type.startsWith("application/x-ndjson")) {
            return JSON_LINES;
        }
        return type.startsWith(EVENTS.mediaType) ? EVENTS : null;
    }

    /** The bytes before one value's JSON. */
    public byte[] before() {
        return this == EVENTS ? DATA : EMPTY;
    }

    /** The bytes after one value's JSON. */
    public byte[] after() {
        return this == EVENTS ? EVENT_END : LINE_END;
    }

    /** The last chunk of a stream that failed: the problem, framed as this format frames an error. */
    public byte[] error(Problem problem) {
        var json = problem.toJson();
        var start = this == EVENTS ? ERROR_EVENT : ERROR_LINE;
        var end = this == EVENTS ? EVENT_END : ERROR_LINE_END;
        var framed = new byte[start.length + json.length + end.length];
        System.arraycopy(start, 0, framed, 0, start.length);
        System.arraycopy(json, 0, framed, start.length, json.length);
        System.arraycopy(end, 0, framed, start.length + json.length, end.length);
        return framed;
    }

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] LINE_END = {'\n'};
    private static final byte[] ERROR_LINE_END = {'}', '\n'};
    private static final byte[] EVENT_END = {'\n', '\n'};
}
