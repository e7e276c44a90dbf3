package io.flowhost.domain.service;

/** A call's body is of a media type its endpoint does not read. */
public final class UnsupportedMediaTypeException extends RuntimeException {

    public UnsupportedMediaTypeException(String detail) {
        super(detail, null, false, false);
    }
}
