package io.flowhost.domain.table;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One version of a table: built beside the others, then published in one step. At most one version of a table is
 * {@link State#CURRENT} (what lookups read) and one {@link State#PREVIOUS} (kept for a rollback).
 *
 * @param table the table's name
 * @param version 1, 2, ... in the order versions were begun
 * @param keyType what the keys are
 * @param state where the version stands
 * @param source where the rows came from: a pinned {@code metaflow://} reference, a file, or for rows written over
 *               the API the address of the gateway they were written to (where the other gateways copy them from)
 * @param by who began the version (a token's name, or {@code local})
 * @param rows the rows it holds (counted while building)
 * @param bytes the bytes of its keys and values
 * @param createdAt when it was begun
 * @param publishedAt when it was first published, or null
 * @param loadMillis how long building it took, from its first row to its last
 * @param failure why building it failed, or null
 */
public record TableVersion(
        String table,
        int version,
        KeyType keyType,
        State state,
        String source,
        String by,
        long rows,
        long bytes,
        Instant createdAt,
        Instant publishedAt,
        long loadMillis,
        String failure) {

    /** Where a version stands. */
    public enum State {
        /** Being filled; lookups do not see it. */
        BUILDING,
        /** What lookups read. */
        CURRENT,
        /** The version before the current one, kept for a rollback. */
        PREVIOUS,
        /** Replaced twice over; its files are deleted. */
        RETIRED,
        /** Building it failed; see {@link #failure()}. */
        FAILED
    }

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-_a-z0-9]{0,61}[a-z0-9])?");

    public TableVersion {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A version just begun. */
    public static TableVersion begun(String table, int version, KeyType keyType, String source, String by, Instant at) {
        return new TableVersion(table, version, keyType, State.BUILDING, source, by, 0, 0, at, null, 0, null);
    }

    /**
     * Checks a table's name: lower-case letters, digits, '-' and '_', at most 63, as it appears in URLs and folders.
     *
     * @throws InvalidKeyException naming what is allowed
     */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidKeyException("'" + name + "' is not a table name: lower-case letters, digits, '-' and"
                    + " '_', starting and ending with a letter or digit, at most 63 characters");
        }
        return name;
    }

    /** {@code recs@3}. */
    public String id() {
        return table + "@" + version;
    }

    /** Whether lookups could read it, now or after a rollback: its files are kept. */
    public boolean isServed() {
        return state == State.CURRENT || state == State.PREVIOUS;
    }

    /** This version, filled: its counts and how long that took. */
    public TableVersion built(long rows, long bytes, long loadMillis) {
        return new TableVersion(
                table, version, keyType, state, source, by, rows, bytes, createdAt, publishedAt, loadMillis, failure);
    }

    /** This version with the key type its rows turned out to have (a load learns it from the first row). */
    public TableVersion withKeyType(KeyType type) {
        return new TableVersion(
                table, version, type, state, source, by, rows, bytes, createdAt, publishedAt, loadMillis, failure);
    }

    /** This version in another state; publishing it the first time records when. */
    public TableVersion in(State next, Instant at) {
        var published = publishedAt == null && next == State.CURRENT ? at : publishedAt;
        return new TableVersion(
                table, version, keyType, next, source, by, rows, bytes, createdAt, published, loadMillis, failure);
    }

    /** This version, failed for the given reason. */
    public TableVersion failed(String why) {
        return new TableVersion(
                table,
                version,
                keyType,
                State.FAILED,
                source,
                by,
                rows,
                bytes,
                createdAt,
                publishedAt,
                loadMillis,
                why);
    }
}
