package io.flowhost.onnx.v2;

import io.flowhost.onnx.InvalidInputException;

/**
 * Thrown when an inference request's JSON is not shaped as the Open Inference Protocol says; answer it with HTTP 400.
 */
public class InferenceRequestException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says which part of the request is wrong and how. */
    public InferenceRequestException(String message) {
        super(message);
    }
}
