package io.flowhost.domain.service;

/** A call used an HTTP method its endpoint (or route) does not take. */
public final class MethodNotAllowedException extends RuntimeException {

    private final String allow;

    /** @param allow the methods it does take, as the {@code Allow} header lists them, e.g. {@code GET, POST} */
    public MethodNotAllowedException(String detail, String allow) {
        super(detail, null, false, false);
        this.allow = allow;
    }

    /** The methods that are allowed, e.g. {@code GET, POST}. */
    public String allow() {
        return allow;
    }
}
