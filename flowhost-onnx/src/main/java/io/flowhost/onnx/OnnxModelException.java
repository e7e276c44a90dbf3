package io.flowhost.onnx;

/**
 * Thrown when a model cannot be loaded or ONNX Runtime fails to run it; unlike bad input, this is the server's problem.
 */
public class OnnxModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says which model or step failed. */
    public OnnxModelException(String message) {
        super(message);
    }

    /** Creates the exception with a message and the ONNX Runtime or I/O failure behind it. */
    public OnnxModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
