package io.flowhost.domain.table;

/** A table, or a version of one, that does not exist or has nothing published (404). */
public final class UnknownTableException extends RuntimeException {

    public UnknownTableException(String detail) {
        super(detail, null, false, false);
    }

    /** No version of the table is published. */
    public static UnknownTableException notPublished(String table) {
        return new UnknownTableException("no table '" + table + "' is published; GET /v1/tables lists the tables,"
                + " and 'flowhost table load " + table + " metaflow://Flow/latest/end/artifact' makes one");
    }
}
