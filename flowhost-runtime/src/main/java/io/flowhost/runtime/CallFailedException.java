package io.flowhost.runtime;

import io.flowhost.wire.protocol.Problem;

/**
 * An embedded call that did not succeed, with the problem a caller over HTTP would have got: the same status, type and
 * detail (a refused body's field and reason, a rejection's own status, a handler's failure with its error id).
 */
public final class CallFailedException extends RuntimeException {

    private final transient Problem problem;

    CallFailedException(Problem problem, Throwable cause) {
        super(problem.status() + " " + problem.type() + ": " + problem.detail(), cause);
        this.problem = problem;
    }

    /** The problem, as {@code application/problem+json} would have said it. */
    public Problem problem() {
        return problem;
    }

    /** Its HTTP status. */
    public int status() {
        return problem.status();
    }
}
