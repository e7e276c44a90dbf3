package io.flowhost.metaflow.pickle;

/** The bytes are not a well-formed pickle: truncated, an unknown opcode, a bad memo index, a broken stack. */
public final class CorruptPickleException extends PickleException {

    CorruptPickleException(String detail, long offset) {
        super("corrupt pickle at offset " + offset + ": " + detail, offset);
    }
}
