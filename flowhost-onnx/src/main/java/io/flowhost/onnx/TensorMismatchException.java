package io.flowhost.onnx;

/**
 * Thrown when a tensor does not fit what it claims or what the model expects; the message names the tensor.
 */
public class TensorMismatchException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the tensor, what was expected and what came. */
    public TensorMismatchException(String message) {
        super(message);
    }
}
