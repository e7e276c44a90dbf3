package io.flowhost.metaflow;

import io.flowhost.metaflow.error.NotFoundException;
import io.flowhost.metaflow.internal.Stores;
import java.util.Comparator;
import java.util.List;

/** One step of a run: its tasks, newest first (a foreach step has many, the others one). */
public final class Step {

    private final Stores stores;
    private final Run run;
    private final String name;

    Step(Stores stores, Run run, String name) {
        this.stores = stores;
        this.run = run;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Run run() {
        return run;
    }

    String path() {
        return run.path() + "/" + name;
    }

    /** {@code Flow/run-id/step}. */
    public String pathspec() {
        return path();
    }

    /** The tasks, newest first by creation time. */
    public List<Task> tasks() {
        return stores.data().list(path()).directories().stream()
                .filter(id -> !id.equals("_meta"))
                .map(id -> new Task(stores, this, id))
                .sorted(Comparator.comparing(Task::createdAt)
                        .thenComparing(Task::id)
                        .reversed())
                .toList();
    }

    /** The newest task, as Metaflow's {@code Step.task} gives it. */
    public Task task() {
        return tasks().stream()
                .findFirst()
                .orElseThrow(() -> new NotFoundException("step " + pathspec() + " has no tasks"));
    }

    /** One task by id. */
    public Task task(String id) {
        return tasks().stream()
                .filter(t -> t.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("step " + pathspec() + " has no task '" + id
                        + "'; its tasks are " + tasks().stream().map(Task::id).toList()));
    }

    @Override
    public String toString() {
        return pathspec();
    }
}
