package io.flowhost.client;

/** A call refused for the caller's own reason (4xx): a wrong body, an unknown endpoint, a rejection, a quota. */
public final class RejectedException extends ProblemException {
    RejectedException(String type, int status, String title, String detail, String requestId, String errorId) {
        super(type, status, title, detail, requestId, errorId);
    }
}
