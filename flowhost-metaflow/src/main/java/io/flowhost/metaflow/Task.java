package io.flowhost.metaflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowhost.metaflow.error.NotFoundException;
import io.flowhost.metaflow.internal.JsonFiles;
import io.flowhost.metaflow.internal.Stores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One task of a step, and the attempt of it whose artifacts count: the highest attempt that
 * started, provided it is done (a retry still running hides the earlier ones, as in Metaflow).
 */
public final class Task {

    /** Metaflow never makes more than six attempts (0..5). */
    static final int MAX_ATTEMPTS = 6;

    private final Stores stores;
    private final Step step;
    private final String id;
    private Set<String> files;
    private Optional<JsonNode> data;

    Task(Stores stores, Step step, String id) {
        this.stores = stores;
        this.step = step;
        this.id = id;
    }

    public String id() {
        return id;
    }

    public Step step() {
        return step;
    }

    /** {@code Flow/run-id/step/task-id}. */
    public String pathspec() {
        return path();
    }

    String path() {
        return step.path() + "/" + id;
    }

    Instant createdAt() {
        var self = stores.metadata(path(), "_self.json");
        if (self.isPresent() && self.get().has("ts_epoch")) {
            return Instant.ofEpochMilli(self.get().get("ts_epoch").asLong());
        }
        return attempts().stream()
                .findFirst()
                .flatMap(first -> JsonFiles.read(stores.data(), path() + "/" + first + ".attempt.json"))
                .filter(json -> json.has("time"))
                .map(json -> Instant.ofEpochMilli(Math.round(json.get("time").asDouble() * 1000)))
                .orElse(Instant.EPOCH);
    }

    private synchronized Set<String> files() {
        if (files == null) {
            files = Set.copyOf(stores.data().list(path()).files());
        }
        return files;
    }

    /**
     * The attempts that started, in order (at most six): from the first on disk to the first gap after it, as
     * Metaflow's datastore scans them. A platform's retry can leave no attempt 0 (it never started).
     */
    public List<Integer> attempts() {
        var out = new ArrayList<Integer>();
        for (int a = 0; a < MAX_ATTEMPTS; a++) {
            if (files().contains(a + ".attempt.json")) {
                out.add(a);
            } else if (!out.isEmpty()) {
                break;
            }
        }
        return out;
    }

    /** The attempt whose artifacts count: the last that started, if it is done; empty while it runs. */
    public Optional<Integer> currentAttempt() {
        var attempts = attempts();
        if (attempts.isEmpty()) {
            return Optional.empty();
        }
        int last = attempts.getLast();
        return files().contains(last + ".DONE.lock") ? Optional.of(last) : Optional.empty();
    }

    private synchronized Optional<JsonNode> data() {
        if (data == null) {
            data = currentAttempt().flatMap(a -> JsonFiles.read(stores.data(), path() + "/" + a + ".data.json"));
        }
        return data;
    }

    /** The names of the artifacts of the current attempt, Metaflow's own ({@code _task_ok}, ...) included. */
    public List<String> artifactNames() {
        var names = new ArrayList<String>();
        data().ifPresent(json -> json.path("objects").fieldNames().forEachRemaining(names::add));
        return names.stream().sorted().toList();
    }

    /** One artifact of the current attempt; fails listing the artifacts there are when it has no such one. */
    public Artifact artifact(String name) {
        var json = data().orElseThrow(() -> new NotFoundException("task " + pathspec() + " has no finished attempt, "
                + "so no artifacts (attempts on disk: " + attempts() + ")"));
        var sha = json.path("objects").path(name);
        if (!sha.isTextual()) {
            var visible =
                    artifactNames().stream().filter(n -> !n.startsWith("_")).toList();
            throw new NotFoundException("task " + pathspec() + " has no artifact '" + name + "'; it has " + visible);
        }
        var info = json.path("info").path(name);
        // Very old writers recorded no encoding: they wrote gzip+pickle-v2.
        var encoding = info.path("encoding").asText("gzip+pickle-v2");
        return new Artifact(
                stores.blobs(),
                this,
                name,
                sha.asText(),
                encoding,
                info.path("type").asText(""),
                info.path("size").asLong(-1));
    }

    /** Whether the current attempt finished without an unhandled error ({@code _task_ok} is True). */
    public boolean finished() {
        return flag("_task_ok");
    }

    /** Whether the step function of the current attempt returned normally ({@code _success} is True). */
    public boolean successful() {
        return flag("_success");
    }

    private boolean flag(String name) {
        if (data().isEmpty() || !data().get().path("objects").has(name)) {
            return false;
        }
        return Boolean.TRUE.equals(artifact(name).value());
    }

    /** A value of the task's local metadata (e.g. {@code end_step}): the newest record of that field. */
    Optional<String> metadataValue(String field) {
        var prefix = "sysmeta_" + field + "_";
        return stores.metadataFiles(path()).stream()
                .filter(f -> f.startsWith(prefix)
                        && f.endsWith(".json")
                        && f.substring(prefix.length(), f.length() - 5).chars().allMatch(Character::isDigit))
                .max(String::compareTo)
                .flatMap(f -> stores.metadata(path(), f))
                .map(json -> json.path("value").asText());
    }

    @Override
    public String toString() {
        return pathspec();
    }
}
