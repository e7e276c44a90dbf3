package io.flowhost.tables;

/**
 * What a lookup found.
 *
 * @param version the table's version that answered
 * @param key the key as the table stores it
 * @param value the stored JSON, or null for a miss
 */
public record Found(int version, String key, byte[] value) {

    /** Whether the key was there. */
    public boolean hit() {
        return value != null;
    }
}
