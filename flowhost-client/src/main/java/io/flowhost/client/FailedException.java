package io.flowhost.client;

/** A call that failed on flowhost's side (5xx): the handler threw, the instance went away, no instance in time. */
public final class FailedException extends ProblemException {
    FailedException(String type, int status, String title, String detail, String requestId, String errorId) {
        super(type, status, title, detail, requestId, errorId);
    }
}
