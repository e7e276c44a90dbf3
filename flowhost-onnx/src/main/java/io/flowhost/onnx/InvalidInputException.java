package io.flowhost.onnx;

/**
 * Thrown when a caller's input cannot be run as given; a server answers it with HTTP 400 and this message.
 */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message written for the caller who sent the input. */
    public InvalidInputException(String message) {
        super(message);
    }
}
