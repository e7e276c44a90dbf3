package io.flowhost.metaflow;

import io.flowhost.metaflow.error.CorruptArtifactException;
import io.flowhost.metaflow.error.UnreadableArtifactException;
import io.flowhost.metaflow.internal.BlobStore;
import io.flowhost.metaflow.pickle.CorruptPickleException;
import io.flowhost.metaflow.pickle.Pickle;
import io.flowhost.metaflow.pickle.UnsupportedPickleException;
import java.util.List;
import java.util.Set;

/**
 * One artifact of a task: what the datastore records of it (content hash, encoding, Python type)
 * and its value, decoded on the JVM without running any Python.
 *
 * @see Pickle for how Python values map to Java ones
 */
public final class Artifact {

    /** The encodings Metaflow's own readers accept; every one is gzip in the store, whatever the name says. */
    static final Set<String> PICKLE_ENCODINGS = Set.of("pickle-v4", "gzip+pickle-v4", "gzip+pickle-v2", "pickle-v2");

    private final BlobStore blobs;
    private final Task task;
    private final String name;
    private final String sha;
    private final String encoding;
    private final String pythonType;
    private final long size;

    Artifact(BlobStore blobs, Task task, String name, String sha, String encoding, String pythonType, long size) {
        this.blobs = blobs;
        this.task = task;
        this.name = name;
        this.sha = sha;
        this.encoding = encoding;
        this.pythonType = pythonType;
        this.size = size;
    }

    public String name() {
        return name;
    }

    public Task task() {
        return task;
    }

    /** The SHA-1 of the serialized bytes, which names the blob. */
    public String sha() {
        return sha;
    }

    /** How the value was serialized, e.g. {@code pickle-v4}. */
    public String encoding() {
        return encoding;
    }

    /** The Python type as Metaflow recorded it, e.g. {@code <class 'float'>}. */
    public String pythonType() {
        return pythonType;
    }

    /** The size of the serialized bytes, or -1 when not recorded. */
    public long size() {
        return size;
    }

    /** {@code Flow/run/step/task/name}. */
    public String pathspec() {
        return task.pathspec() + "/" + name;
    }

    /** The value, as Java: see {@link Pickle} for the mapping. */
    public Object value() {
        if (!PICKLE_ENCODINGS.contains(encoding)) {
            throw new UnreadableArtifactException("artifact " + pathspec() + " has encoding '" + encoding
                    + "', which no reader here knows (expected one of "
                    + PICKLE_ENCODINGS.stream().sorted().toList()
                    + "); it was written by a serializer extension");
        }
        var bytes = blobs.read(task.step().run().flow().name(), sha, size, "artifact " + pathspec());
        try {
            return Pickle.decode(bytes);
        } catch (UnsupportedPickleException e) {
            if (e.pythonType().isEmpty()) {
                // No Python class to blame: the pickle itself uses something the reader refuses; say what.
                throw new UnreadableArtifactException(
                        "artifact " + pathspec() + " (a Python " + pythonType + ") cannot be read on the JVM: "
                                + e.getMessage(),
                        e);
            }
            throw new UnreadableArtifactException(
                    "artifact " + pathspec() + " is a Python " + pythonType
                            + ", which cannot be read on the JVM (its pickle needs "
                            + e.pythonType().get()
                            + "); save plain values (numbers, strings, lists, "
                            + "dicts, bytes, numpy arrays) or an ONNX model instead",
                    e);
        } catch (CorruptPickleException e) {
            throw new CorruptArtifactException("artifact " + pathspec() + " is damaged: " + e.getMessage(), e);
        }
    }

    /** The value of a bytes artifact (a serialized model, say). */
    public byte[] bytes() {
        return as(byte[].class);
    }

    /** The value as the given type; fails naming both types when it is something else. */
    public <T> T as(Class<T> type) {
        var value = value();
        if (!type.isInstance(value)) {
            throw new UnreadableArtifactException("artifact " + pathspec() + " is a Python " + pythonType
                    + " (" + (value == null ? "None" : value.getClass().getSimpleName()) + " in Java), not a "
                    + type.getSimpleName());
        }
        return type.cast(value);
    }

    /** The value of a list artifact, each element checked to be of the given type. */
    public <T> List<T> asList(Class<T> element) {
        var list = as(List.class);
        for (var item : list) {
            if (!element.isInstance(item)) {
                throw new UnreadableArtifactException("artifact " + pathspec() + " holds a "
                        + (item == null ? "None" : item.getClass().getSimpleName()) + ", not only "
                        + element.getSimpleName());
            }
        }
        @SuppressWarnings("unchecked")
        var typed = (List<T>) list;
        return typed;
    }

    @Override
    public String toString() {
        return pathspec();
    }
}
