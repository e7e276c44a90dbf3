package io.flowhost.state;

import java.util.List;

/**
 * The alerts that are not inactive, kept across restarts. Every implementation passes
 * {@code io.flowhost.state.contract.AlertStateStoreContract} (this module's test jar).
 */
public interface AlertStateStore {

    /** The alerts last saved. */
    List<StoredAlert> load();

    /** Replaces what is kept by these alerts, in one transaction. */
    void save(List<StoredAlert> alerts);
}
