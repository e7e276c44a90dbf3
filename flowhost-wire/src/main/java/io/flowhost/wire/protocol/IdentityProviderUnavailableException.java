package io.flowhost.wire.protocol;

/**
 * The identity provider whose JWTs a request carries cannot be asked for its keys just now: not the caller's fault,
 * so 503 with {@code Retry-After} rather than 401.
 */
public final class IdentityProviderUnavailableException extends RuntimeException {

    public IdentityProviderUnavailableException(String message) {
        super(message, null, false, false);
    }
}
