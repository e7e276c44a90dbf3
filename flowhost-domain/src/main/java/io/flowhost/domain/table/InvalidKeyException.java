package io.flowhost.domain.table;

/** A key, or a table's name, that the table cannot have: the caller's mistake (400). */
public final class InvalidKeyException extends RuntimeException {

    public InvalidKeyException(String detail) {
        super(detail, null, false, false);
    }
}
