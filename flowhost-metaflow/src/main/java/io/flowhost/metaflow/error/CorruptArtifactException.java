package io.flowhost.metaflow.error;

/** An artifact's stored bytes are missing or damaged: a missing blob, bad gzip, a SHA-1 mismatch, a broken pickle. */
public final class CorruptArtifactException extends MetaflowException {

    public CorruptArtifactException(String message) {
        super(message);
    }

    public CorruptArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
