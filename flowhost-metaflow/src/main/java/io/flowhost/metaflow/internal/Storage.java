package io.flowhost.metaflow.internal;

import java.util.List;
import java.util.Optional;

/**
 * Where a datastore's files live (a local folder, an S3 prefix), seen as paths relative to the
 * datastore root, separated by {@code /}.
 */
public interface Storage extends AutoCloseable {

    /** The directories and files directly under a directory; both empty when there is no such directory. */
    Listing list(String directory);

    /** A file's bytes, or empty when there is no such file. */
    Optional<byte[]> read(String path);

    /** A content-addressed blob with its metadata ({@code cas_raw}, {@code cas_version} JSON), or empty. */
    Optional<Blob> readBlob(String path);

    /** Whether a file exists. */
    boolean exists(String path);

    /** How to name this storage in messages, e.g. {@code /home/ds/.metaflow} or {@code s3://bucket/prefix}. */
    String describe();

    @Override
    default void close() {}

    /** What a directory holds, by name, sorted. */
    record Listing(List<String> directories, List<String> files) {
        public Listing {
            directories = List.copyOf(directories);
            files = List.copyOf(files);
        }
    }

    /**
     * A stored blob.
     *
     * @param bytes the bytes as stored (gzip unless the metadata says raw)
     * @param metadata the blob's {@code {"cas_raw": ..., "cas_version": ...}} JSON, or null when absent
     */
    record Blob(byte[] bytes, String metadata) {}
}
