package io.flowhost.wire.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail: what went wrong with a call, in the {@code application/problem+json}
 * form that every flowhost error takes.
 *
 * @param type a stable identifier of the kind of problem, {@code urn:flowhost:problem:<slug>}
 * @param title a short summary that does not change from call to call
 * @param status the HTTP status
 * @param detail what went wrong with this call and, where it helps, what to do
 * @param requestId the id of the call, also sent as the {@code X-Request-Id} header
 * @param extensions further members (for example {@code errorId}, {@code field}, {@code line})
 */
public record Problem(
        String type, String title, int status, String detail, String requestId, Map<String, Object> extensions) {

    /** The media type of a problem body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private static final String RETRY_AFTER = "retryAfter";

    private static final ObjectMapper JSON = new ObjectMapper();

    public Problem {
        extensions = Map.copyOf(extensions);
    }

    /** A problem of the given kind with no extension members. */
    public static Problem of(ProblemType type, String detail, String requestId) {
        return new Problem(type.uri(), type.title(), type.status(), detail, requestId, Map.of());
    }

    /** This problem with one more extension member. */
    public Problem with(String key, Object value) {
        var more = new LinkedHashMap<>(extensions);
        more.put(key, value);
        return new Problem(type, title, status, detail, requestId, more);
    }

    /** This problem asking the caller to retry after so many seconds: its {@code Retry-After}, and a member. */
    public Problem retryAfter(int seconds) {
        return with(RETRY_AFTER, seconds);
    }

    /**
     * The seconds a caller should wait before retrying, or -1 when the status promises no retry: as set, else 2 for
     * 503 (an instance is starting or busy) and 5 for 429 (a full queue drains slower).
     */
    public int retryAfterSeconds() {
        if (extensions.get(RETRY_AFTER) instanceof Integer seconds) {
            return seconds;
        }
        return status == 503 ? 2 : status == 429 ? 5 : -1;
    }

    /** This problem with another status (for a handler's own 4xx choice). */
    public Problem withStatus(int newStatus) {
        return new Problem(type, title, newStatus, detail, requestId, extensions);
    }

    /** The JSON body, UTF-8 encoded. */
    public byte[] toJson() {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        body.putAll(extensions);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
