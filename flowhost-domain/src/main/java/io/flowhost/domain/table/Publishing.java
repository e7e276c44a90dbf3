package io.flowhost.domain.table;

import io.flowhost.domain.table.TableVersion.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The two steps that change what lookups read, as pure rules over a table's versions: each returns the versions
 * that change, the one becoming {@link State#CURRENT} last (the order a store writes them in, so that a table never
 * has two current versions, even for a moment).
 */
public final class Publishing {

    private Publishing() {}

    /**
     * Publishes a built version: it becomes current, the current one previous, the previous one retired.
     *
     * @throws UnknownTableException when the table has no such version
     * @throws TableStateException when the version is not one being built
     */
    public static List<TableVersion> publish(List<TableVersion> versions, String table, int version, Instant at) {
        var chosen = find(versions, version)
                .orElseThrow(() -> new UnknownTableException("table '" + table + "' has no version " + version
                        + "; GET /v1/tables/" + table + " lists its versions"));
        if (chosen.state() != State.BUILDING) {
            throw new TableStateException("version " + version + " of table '" + chosen.table() + "' is "
                    + chosen.state().name().toLowerCase(Locale.ROOT)
                    + ", not being built: only a version being built can be"
                    + " published (begin a new one with POST /v1/tables/" + chosen.table() + "/versions)");
        }
        var changed = new ArrayList<TableVersion>();
        inState(versions, State.PREVIOUS).ifPresent(p -> changed.add(p.in(State.RETIRED, at)));
        inState(versions, State.CURRENT).ifPresent(c -> changed.add(c.in(State.PREVIOUS, at)));
        changed.add(chosen.in(State.CURRENT, at));
        return changed;
    }

    /**
     * Rolls back: the previous version becomes current again and the current one previous (so that a second
     * rollback undoes the first).
     *
     * @throws TableStateException when there is no previous version
     */
    public static List<TableVersion> rollback(List<TableVersion> versions, String table, Instant at) {
        var previous = inState(versions, State.PREVIOUS)
                .orElseThrow(() -> new TableStateException("table '" + table + "' has no previous version to roll"
                        + " back to: a version is kept for that once a newer one is published"));
        var current = inState(versions, State.CURRENT).orElseThrow();
        return List.of(current.in(State.PREVIOUS, at), previous.in(State.CURRENT, at));
    }

    /** The version in a state, if any (at most one is current, at most one previous). */
    public static Optional<TableVersion> inState(List<TableVersion> versions, State state) {
        return versions.stream().filter(v -> v.state() == state).max(Comparator.comparingInt(TableVersion::version));
    }

    private static Optional<TableVersion> find(List<TableVersion> versions, int version) {
        return versions.stream().filter(v -> v.version() == version).findFirst();
    }
}
