package io.flowhost.metaflow.internal;

import io.flowhost.metaflow.error.MetaflowException;

/** The storage behind a datastore failed (S3 refused, a network error); the message names the path. */
public final class StorageException extends MetaflowException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
