package io.flowhost.metaflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * What a datastore reads from: the storage of its files and blobs, and where Metaflow's local
 * metadata ({@code _meta/} trees: run tags, creation times) lives, which may be the same storage,
 * a separate local folder (for S3 datastores with local metadata), or nowhere.
 *
 * @param data the datastore's files
 * @param metadata the local-metadata tree, or null when there is none
 * @param blobs the content-addressed store over {@code data}
 */
public record Stores(Storage data, Storage metadata, BlobStore blobs) {

    /** A metadata JSON file ({@code <path>/_meta/<file>}), if there is local metadata and it has the file. */
    public Optional<JsonNode> metadata(String path, String file) {
        return metadata == null ? Optional.empty() : JsonFiles.read(metadata, path + "/_meta/" + file);
    }

    /** The names of the files in {@code <path>/_meta/}, if there is local metadata. */
    public List<String> metadataFiles(String path) {
        return metadata == null ? List.of() : metadata.list(path + "/_meta").files();
    }
}
