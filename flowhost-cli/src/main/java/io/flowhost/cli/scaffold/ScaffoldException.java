package io.flowhost.cli.scaffold;

/** A project that cannot be made as asked; the message says what to do instead. */
public final class ScaffoldException extends RuntimeException {

    public ScaffoldException(String message) {
        super(message, null, false, false);
    }
}
