package io.flowhost.wire.protocol;

/** The caller's request is wrong in a way no more specific problem names: a bad parameter, header or body. */
public final class BadRequestException extends RuntimeException {

    public BadRequestException(String detail) {
        super(detail, null, false, false);
    }
}
