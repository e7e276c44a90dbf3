package io.flowhost.domain.instance;

/** No instance could take the call in time, or too many calls wait already: the caller should retry shortly. */
public final class NotReadyException extends RuntimeException {

    private final int retryAfterSeconds;

    /** @param retryAfterSeconds when the caller may try again, for its {@code Retry-After} */
    public NotReadyException(String detail, int retryAfterSeconds) {
        super(detail, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
