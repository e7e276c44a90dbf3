package io.flowhost.metaflow.error;

/**
 * An artifact whose value cannot be read on the JVM: a Python object (a scikit-learn model, a
 * pandas frame) that only Python can rebuild, or an encoding no reader here knows.
 */
public final class UnreadableArtifactException extends MetaflowException {

    public UnreadableArtifactException(String message) {
        super(message);
    }

    public UnreadableArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
