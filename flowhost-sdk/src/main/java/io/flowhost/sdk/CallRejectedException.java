package io.flowhost.sdk;

/**
 * Thrown by an endpoint to refuse a call the caller got wrong; the caller receives the status
 * (422 unless given) and this message in a problem+json body.
 */
public class CallRejectedException extends RuntimeException {

    private final int status;

    /** Rejects the call with 422 Unprocessable Content and the given message. */
    public CallRejectedException(String message) {
        this(422, message);
    }

    /** Rejects the call with a 4xx status of your choice and the given message. */
    public CallRejectedException(int status, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("status: " + status + " (expected: 400..499, a caller's mistake)");
        }
        this.status = status;
    }

    /** The HTTP status the caller receives. */
    public int status() {
        return status;
    }
}
