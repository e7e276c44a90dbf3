package io.flowhost.domain.table;

/** A step a version's state does not allow: rows for a published version, publishing one being loaded (409). */
public final class TableStateException extends RuntimeException {

    public TableStateException(String detail) {
        super(detail, null, false, false);
    }
}
