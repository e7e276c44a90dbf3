package io.flowhost.metaflow.error;

/**
 * A path that would lead outside the datastore's root, refused before anything there is read or listed; the
 * message names the path as it was asked for and the root, never what lies outside.
 */
public final class OutsideDatastoreException extends MetaflowException {

    /**
     * @param quotedPath the path that was asked for, already quoted for a message
     * @param root the datastore's root, as it describes itself
     */
    public OutsideDatastoreException(String quotedPath, String root) {
        super("refused to read " + quotedPath + ": it leads outside the datastore " + root
                + "; flow, run, step and artifact names, and the paths a datastore records, must stay inside it");
    }
}
