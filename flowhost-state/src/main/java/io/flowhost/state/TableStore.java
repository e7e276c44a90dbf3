package io.flowhost.state;

import io.flowhost.domain.table.KeyType;
import io.flowhost.domain.table.TableVersion;
import java.time.Instant;
import java.util.List;

/**
 * Which tables exist and their versions, shared by every gateway on the same state (the rows themselves are in each
 * gateway's own files, built from the source recorded here).
 */
public interface TableStore {

    /** Begins a new version of a table (creating the table), numbered one past its newest. */
    TableVersion begin(String table, KeyType keyType, String source, String by, Instant at);

    /**
     * Writes changed versions in one transaction, in the order given (see {@code Publishing}).
     *
     * @throws StoreException when another gateway published the same table at the same moment (one of the two wins)
     */
    void update(List<TableVersion> changed);

    /** A table's versions, newest first; empty when there is no such table. */
    List<TableVersion> versions(String table);

    /** Every table's versions that are not retired, by table then newest first. */
    List<TableVersion> all();

    /** Forgets a table and all its versions; returns how many versions it had. */
    int drop(String table);
}
