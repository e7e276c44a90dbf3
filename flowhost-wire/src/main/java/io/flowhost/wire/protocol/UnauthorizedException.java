package io.flowhost.wire.protocol;

/** A request without the credentials its route needs, or with wrong ones: 401 with {@code WWW-Authenticate}. */
public final class UnauthorizedException extends RuntimeException {

    public UnauthorizedException(String message) {
        super(message);
    }
}
