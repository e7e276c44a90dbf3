package io.flowhost.metaflow;

import io.flowhost.metaflow.error.NotFoundException;
import io.flowhost.metaflow.internal.Stores;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A flow in a datastore: its runs, newest first by creation time, as Metaflow's client orders them. */
public final class Flow {

    private static final Set<String> NOT_RUNS = Set.of("data", "_meta");

    private final Stores stores;
    private final String name;

    Flow(Stores stores, String name) {
        this.stores = stores;
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Every run, newest first (by creation time; the id breaks ties, newest first too). */
    public List<Run> runs() {
        return stores.data().list(name).directories().stream()
                .filter(id -> !NOT_RUNS.contains(id))
                .map(id -> new Run(stores, this, id))
                .sorted(Comparator.comparing(Run::createdAt)
                        .thenComparing(Run::id)
                        .reversed())
                .toList();
    }

    /** The runs carrying the tag (a user tag or Metaflow's own), newest first (every run when the tag is null). */
    public List<Run> runs(String tag) {
        return runs().stream().filter(run -> tag == null || run.hasTag(tag)).toList();
    }

    /** The newest run, finished or not, successful or not. */
    public Run latestRun() {
        return runs().stream().findFirst().orElseThrow(() -> new NotFoundException("flow " + name + " has no runs"));
    }

    /** The newest run whose end step succeeded; not the one that finished last. */
    public Optional<Run> latestSuccessfulRun() {
        return latestSuccessfulRun(null);
    }

    /** The newest successful run carrying the tag, a user tag or Metaflow's own (any run when the tag is null). */
    public Optional<Run> latestSuccessfulRun(String tag) {
        return runs().stream()
                .filter(run -> tag == null || run.hasTag(tag))
                .filter(Run::successful)
                .findFirst();
    }

    /**
     * One run by id; fails listing the runs there are when there is no such run, and with
     * IllegalArgumentException when the id is not one plain name.
     */
    public Run run(String id) {
        Names.check("the run id", id);
        if (NOT_RUNS.contains(id)
                || stores.data().list(name + "/" + id).directories().isEmpty()) {
            throw new NotFoundException("flow " + name + " has no run '" + id + "'; its runs are "
                    + runs().stream().map(Run::id).toList());
        }
        return new Run(stores, this, id);
    }

    @Override
    public String toString() {
        return name;
    }
}
