package io.flowhost.domain.request;

/** What was asked of an async request does not fit the state it is in (cancel a running one, a result not there). */
public final class RequestStateException extends RuntimeException {

    private final String state;

    /** @param state the request's state, lowercase, e.g. {@code running} */
    public RequestStateException(String detail, String state) {
        super(detail);
        this.state = state;
    }

    public String state() {
        return state;
    }
}
