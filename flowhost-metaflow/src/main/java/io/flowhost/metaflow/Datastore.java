package io.flowhost.metaflow;

import io.flowhost.metaflow.error.MetaflowException;
import io.flowhost.metaflow.error.NotFoundException;
import io.flowhost.metaflow.internal.BlobStore;
import io.flowhost.metaflow.internal.LocalStorage;
import io.flowhost.metaflow.internal.S3Storage;
import io.flowhost.metaflow.internal.Storage;
import io.flowhost.metaflow.internal.Stores;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Metaflow datastore, read the way Metaflow's own client reads it: a local {@code .metaflow}
 * folder or an {@code s3://bucket/prefix}. Paths recorded inside the datastore are ignored;
 * everything resolves against the root given here.
 */
public final class Datastore implements AutoCloseable {

    /** The variable naming a local datastore root, as Metaflow reads it. */
    public static final String LOCAL_ROOT_VARIABLE = "METAFLOW_DATASTORE_SYSROOT_LOCAL";
    /** The variable naming an S3 datastore root, as Metaflow reads it. */
    public static final String S3_ROOT_VARIABLE = "METAFLOW_DATASTORE_SYSROOT_S3";

    private static final long CACHE_BYTES = 256L * 1024 * 1024;

    private final Stores stores;

    private Datastore(Stores stores) {
        this.stores = stores;
    }

    /** Opens a local folder holding {@code .metaflow} (or that folder itself), or {@code s3://bucket/prefix}. */
    public static Datastore open(String root) {
        return open(DatastoreOptions.of(root));
    }

    /** Opens a datastore with the given options. */
    public static Datastore open(DatastoreOptions options) {
        Storage data;
        Storage metadata;
        if (options.isS3()) {
            var location = options.root().substring("s3://".length());
            int slash = location.indexOf('/');
            var bucket = slash < 0 ? location : location.substring(0, slash);
            var prefix = slash < 0 ? "" : location.substring(slash + 1);
            if (bucket.isEmpty()) {
                throw new MetaflowException("'" + options.root() + "' names no bucket (expected s3://bucket/prefix)");
            }
            data = S3Storage.open(bucket, prefix, options.s3Endpoint());
            metadata = options.metadataRoot() == null ? null : new LocalStorage(localRoot(options.metadataRoot()));
        } else {
            data = new LocalStorage(localRoot(Path.of(options.root())));
            metadata = options.metadataRoot() == null ? data : new LocalStorage(localRoot(options.metadataRoot()));
        }
        return new Datastore(new Stores(data, metadata, new BlobStore(data, CACHE_BYTES)));
    }

    /**
     * The root Metaflow itself would use: {@code METAFLOW_DATASTORE_SYSROOT_S3} if set, else
     * {@code METAFLOW_DATASTORE_SYSROOT_LOCAL}; empty when neither is.
     */
    public static Optional<String> rootFromEnvironment(Map<String, String> environment) {
        var s3 = environment.get(S3_ROOT_VARIABLE);
        if (s3 != null && !s3.isBlank()) {
            return Optional.of(s3);
        }
        var local = environment.get(LOCAL_ROOT_VARIABLE);
        return local == null || local.isBlank() ? Optional.empty() : Optional.of(local);
    }

    /** Metaflow appends {@code .metaflow} to a local root; accept both the folder and its parent. */
    static Path localRoot(Path given) {
        var path = given.toAbsolutePath().normalize();
        if (path.getFileName() != null
                && path.getFileName().toString().equals(".metaflow")
                && Files.isDirectory(path)) {
            return path;
        }
        var inside = path.resolve(".metaflow");
        if (Files.isDirectory(inside)) {
            return inside;
        }
        throw new NotFoundException("no .metaflow folder in " + path + ": point the root at the folder your flows "
                + "ran in (the one holding .metaflow), or set " + LOCAL_ROOT_VARIABLE);
    }

    /** The flows in this datastore, by name. */
    public List<String> flows() {
        return stores.data().list("").directories().stream()
                .filter(name -> !name.startsWith("."))
                .toList();
    }

    /**
     * One flow; fails listing the flows there are when it has no such flow, and with IllegalArgumentException
     * when the name is not one plain name.
     */
    public Flow flow(String name) {
        Names.check("the flow name", name);
        if (stores.data().list(name).directories().isEmpty()) {
            throw new NotFoundException("no flow '" + name + "' in " + describe() + "; it has " + flows());
        }
        return new Flow(stores, name);
    }

    /** The root, as given, for messages. */
    public String describe() {
        return stores.data().describe();
    }

    @Override
    public void close() {
        stores.data().close();
    }

    /**
     * How to open a datastore.
     *
     * @param root a local folder or {@code s3://bucket/prefix}
     * @param s3Endpoint an S3-compatible endpoint, or null for AWS
     * @param metadataRoot the folder holding Metaflow's local metadata, when it is not the root itself (S3), or null
     */
    public record DatastoreOptions(String root, URI s3Endpoint, Path metadataRoot) {

        public DatastoreOptions {
            if (root == null || root.isBlank()) {
                throw new IllegalArgumentException(
                        "root: empty (expected a folder holding .metaflow, or s3://bucket/prefix)");
            }
        }

        /** Options for a root alone. */
        public static DatastoreOptions of(String root) {
            return new DatastoreOptions(root, null, null);
        }

        boolean isS3() {
            return root.startsWith("s3://");
        }
    }
}
