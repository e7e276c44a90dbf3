package io.flowhost.domain.table;

/** Rows that cannot make a table: an artifact of the wrong shape, a row without its key, a mixed key type (422). */
public final class TableSourceException extends RuntimeException {

    public TableSourceException(String detail) {
        super(detail, null, false, false);
    }
}
