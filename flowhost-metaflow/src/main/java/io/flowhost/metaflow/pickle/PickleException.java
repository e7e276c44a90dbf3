package io.flowhost.metaflow.pickle;

/** Everything {@link Pickle#decode} throws: the pickle could not be turned into plain Java values. */
public abstract sealed class PickleException extends RuntimeException
        permits CorruptPickleException, UnsupportedPickleException {

    private final long offset;

    PickleException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Byte offset, in the uncompressed pickle, of the opcode at which decoding stopped. */
    public long offset() {
        return offset;
    }
}
