package io.flowhost.sdk;

/** Thrown when an artifact cannot be found or read; the message names the reference and why. */
public class ArtifactException extends RuntimeException {

    /** Creates the exception with a message that names the reference. */
    public ArtifactException(String message) {
        super(message);
    }

    /** Creates the exception with a message that names the reference and the failure beneath it. */
    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
