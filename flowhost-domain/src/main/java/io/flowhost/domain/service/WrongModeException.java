package io.flowhost.domain.service;

/** A sync-only endpoint was asked to answer later, or an async-only one to answer now. */
public final class WrongModeException extends RuntimeException {

    public WrongModeException(String detail) {
        super(detail, null, false, false);
    }
}
