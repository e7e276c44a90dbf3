package io.flowhost.domain.table;

/** A lookup of a key the current version of the table does not hold: a miss (404). */
public final class UnknownKeyException extends RuntimeException {

    public UnknownKeyException(String table, int version, String key) {
        super("table '" + table + "' (version " + version + ") has no key '" + key + "'", null, false, false);
    }
}
