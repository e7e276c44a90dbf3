package io.flowhost.metaflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowhost.metaflow.error.NotFoundException;
import io.flowhost.metaflow.internal.JsonFiles;
import io.flowhost.metaflow.internal.Stores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One run of a flow: when it was created, its tags, its steps, and whether it succeeded
 * (its end step's task succeeded, as Metaflow's client decides it).
 */
public final class Run {

    static final String PARAMETERS_STEP = "_parameters";

    private final Stores stores;
    private final Flow flow;
    private final String id;
    private final Optional<JsonNode> self;
    private final Instant createdAt;

    Run(Stores stores, Flow flow, String id) {
        this.stores = stores;
        this.flow = flow;
        this.id = id;
        this.self = stores.metadata(path(), "_self.json");
        this.createdAt = readCreatedAt();
    }

    public String id() {
        return id;
    }

    public Flow flow() {
        return flow;
    }

    /** {@code Flow/run-id}. */
    public String pathspec() {
        return flow.name() + "/" + id;
    }

    String path() {
        return flow.name() + "/" + id;
    }

    /** When the run was created: its metadata's {@code ts_epoch}, else when its parameters task started. */
    public Instant createdAt() {
        return createdAt;
    }

    private Instant readCreatedAt() {
        if (self.isPresent() && self.get().has("ts_epoch")) {
            return Instant.ofEpochMilli(self.get().get("ts_epoch").asLong());
        }
        var parameters = path() + "/" + PARAMETERS_STEP;
        for (var task : stores.data().list(parameters).directories()) {
            var started = JsonFiles.read(stores.data(), parameters + "/" + task + "/0.attempt.json");
            if (started.isPresent() && started.get().has("time")) {
                return Instant.ofEpochMilli(Math.round(started.get().get("time").asDouble() * 1000));
            }
        }
        // Local run ids are their start time in microseconds.
        try {
            return Instant.ofEpochMilli(Long.parseLong(id) / 1000);
        } catch (NumberFormatException e) {
            return Instant.EPOCH;
        }
    }

    /** The user tags, as the run's metadata has them now (empty without local metadata). */
    public List<String> tags() {
        return strings("tags");
    }

    /** Metaflow's own tags ({@code user:ds}, {@code metaflow_version:...}). */
    public List<String> systemTags() {
        return strings("system_tags");
    }

    /** Whether the run carries the tag, as a user tag or one of Metaflow's own, as Metaflow's client filters runs. */
    public boolean hasTag(String tag) {
        return tags().contains(tag) || systemTags().contains(tag);
    }

    private List<String> strings(String field) {
        var out = new ArrayList<String>();
        self.ifPresent(json -> json.path(field).forEach(tag -> out.add(tag.asText())));
        return out.stream().sorted().toList();
    }

    /** The name of the end step: what the run recorded, else {@code end}. */
    public String endStepName() {
        // Not step(), which fails: a run that has its id but not (yet, or ever, if it was killed then) its parameters
        // task is simply not successful, and must not keep the runs before it from being found.
        for (var task : new Step(stores, this, PARAMETERS_STEP).tasks()) {
            var recorded = task.metadataValue("end_step");
            if (recorded.isPresent()) {
                return recorded.get();
            }
        }
        return "end";
    }

    /** The steps (Metaflow's hidden {@code _parameters} step left out), by name. */
    public List<Step> steps() {
        return stores.data().list(path()).directories().stream()
                .filter(name -> !name.startsWith("_"))
                .map(name -> new Step(stores, this, name))
                .toList();
    }

    /**
     * One step by name (hidden ones included); fails listing the steps when there is no such step, and with
     * IllegalArgumentException when the name is not one plain name.
     */
    public Step step(String name) {
        Names.check("the step name", name);
        if (stores.data().list(path() + "/" + name).directories().isEmpty()) {
            throw new NotFoundException("run " + pathspec() + " has no step '" + name + "'; its steps are "
                    + steps().stream().map(Step::name).toList());
        }
        return new Step(stores, this, name);
    }

    /** The end step's task, if the run got that far. */
    public Optional<Task> endTask() {
        var end = endStepName();
        if (stores.data().list(path() + "/" + end).directories().isEmpty()) {
            return Optional.empty();
        }
        return new Step(stores, this, end).tasks().stream().findFirst();
    }

    /** Whether the end step's task succeeded ({@code _success} is True). */
    public boolean successful() {
        return endTask().map(Task::successful).orElse(false);
    }

    /** Whether the end step's task finished ({@code _task_ok} is True), successful or not. */
    public boolean finished() {
        return endTask().map(Task::finished).orElse(false);
    }

    /** An artifact of the run's step, read from that step's newest task. */
    public Artifact artifact(String step, String name) {
        return step(step).task().artifact(name);
    }

    @Override
    public String toString() {
        return pathspec();
    }
}
