package io.flowhost.sdk;

import java.util.Optional;

/**
 * Lookups in the platform's tables of precomputed predictions, so that an endpoint can answer from a table first and
 * compute live on a miss. Each lookup reads the table's current version; a miss is {@link Optional#empty()}.
 */
public interface Tables {

    /**
     * The JSON stored under a key, or empty when the table's current version does not hold it.
     *
     * @throws IllegalStateException when the table does not exist or the platform cannot be reached
     * @throws IllegalArgumentException when the key cannot be one of the table's (a word for an integer table)
     */
    Optional<String> get(String table, String key);

    /** The value stored under a key, read as the given type (a record, a {@code Map}, a {@code List}...). */
    <T> Optional<T> get(String table, String key, Class<T> type);

    /** For a service run outside the platform (a unit test): every lookup fails saying so. */
    Tables NONE = new Tables() {
        @Override
        public Optional<String> get(String table, String key) {
            throw new IllegalStateException("no flowhost gateway to look up table '" + table + "' in: tables are"
                    + " read through the platform an instance runs on");
        }

        @Override
        public <T> Optional<T> get(String table, String key, Class<T> type) {
            return get(table, key).map(ignored -> null);
        }
    };
}
