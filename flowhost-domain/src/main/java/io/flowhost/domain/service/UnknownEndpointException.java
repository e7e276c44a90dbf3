package io.flowhost.domain.service;

/** A call named an endpoint that its service does not have. */
public final class UnknownEndpointException extends RuntimeException {

    public UnknownEndpointException(String detail) {
        super(detail, null, false, false);
    }
}
