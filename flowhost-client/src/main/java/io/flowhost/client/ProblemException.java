package io.flowhost.client;

/**
 * A call flowhost answered with a problem (RFC 9457 {@code application/problem+json}): what it said, kept whole.
 * {@link RejectedException} for the caller's own mistakes (4xx), {@link FailedException} for the service's or the
 * platform's (5xx).
 */
public abstract sealed class ProblemException extends RuntimeException permits RejectedException, FailedException {

    private final String type;
    private final int status;
    private final String title;
    private final String detail;
    private final String requestId;
    private final String errorId;

    ProblemException(String type, int status, String title, String detail, String requestId, String errorId) {
        super(status + " " + type + ": " + detail + (requestId == null ? "" : " (request " + requestId + ")"));
        this.type = type;
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.requestId = requestId;
        this.errorId = errorId;
    }

    /** The problem's type, e.g. {@code urn:flowhost:problem:call-rejected}. */
    public String type() {
        return type;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** What went wrong, in words meant for the caller. */
    public String detail() {
        return detail;
    }

    /** The call's id, as flowhost's request log and traces know it. */
    public String requestId() {
        return requestId;
    }

    /** For a handler that failed: the id its stack trace is logged under; else null. */
    public String errorId() {
        return errorId;
    }
}
