package io.flowhost.domain.request;

/**
 * An {@code Idempotency-Key} came again with a different request (method, path or body): the key names one
 * request, so the second is refused rather than answered with the first one's result (the IETF
 * Idempotency-Key draft's 422).
 */
public final class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String key) {
        super("Idempotency-Key '" + key + "' was already used for a different request (another endpoint or body);"
                + " use a new key for a new request");
    }
}
