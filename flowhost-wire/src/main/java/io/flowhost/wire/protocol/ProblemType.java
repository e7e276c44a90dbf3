package io.flowhost.wire.protocol;

import java.util.Locale;

/** The kinds of problem flowhost reports, each with its stable type URI, title and status. */
public enum ProblemType {
    MALFORMED_JSON(400, "Malformed JSON"),
    INVALID_FIELD(400, "Invalid field"),
    BAD_REQUEST(400, "Bad request"),
    UNAUTHORIZED(401, "Unauthorized"),
    INVALID_SETTINGS(400, "Invalid settings"),
    INVALID_KEY(400, "Invalid key"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    UNKNOWN_SERVICE(404, "Unknown service"),
    UNKNOWN_ENDPOINT(404, "Unknown endpoint"),
    UNKNOWN_TABLE(404, "Unknown table"),
    KEY_NOT_FOUND(404, "Key not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    CONFLICT(409, "Conflict"),
    BREAKING_CHANGE(409, "Breaking change"),
    REQUEST_EXPIRED(410, "Request expired"),
    BODY_TOO_LARGE(413, "Request body too large"),
    URI_TOO_LONG(414, "Request line too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    INVALID_SERVICE(422, "Invalid service"),
    CALL_REJECTED(422, "Call rejected by the service"),
    INVALID_TABLE_SOURCE(422, "Rows cannot make the table"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused"),
    QUEUE_FULL(429, "Queue full"),
    RATE_LIMITED(429, "Rate limited"),
    HEADERS_TOO_LARGE(431, "Request headers too large"),
    HANDLER_FAILED(500, "Handler failed"),
    INTERNAL(500, "Internal error"),
    INSTANCE_FAILED(502, "Instance failed"),
    NOT_READY(503, "Service not ready"),
    STATE_UNAVAILABLE(503, "State store unavailable"),
    NO_LEADER(503, "No leader"),
    IDENTITY_PROVIDER_UNAVAILABLE(503, "Identity provider unavailable"),
    INSTANCE_TIMEOUT(504, "Instance did not answer in time");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    /** The HTTP status this kind of problem is sent with. */
    public int status() {
        return status;
    }

    /** The problem's short, fixed summary. */
    public String title() {
        return title;
    }

    /** The stable type URI, e.g. {@code urn:flowhost:problem:malformed-json}. */
    public String uri() {
        return "urn:flowhost:problem:" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
