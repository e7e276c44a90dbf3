package io.flowhost.metaflow.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.metaflow.error.CorruptArtifactException;
import io.flowhost.metaflow.error.UnreadableArtifactException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A flow's content-addressed store: {@code <Flow>/data/<sha[0:2]>/<sha>}, gzip unless the blob's
 * metadata says raw, keyed by the SHA-1 of the uncompressed bytes, which is checked on every read.
 * Blobs are immutable, so they are cached by hash (least recently used out first, bounded in bytes).
 */
public final class BlobStore {

    private final Storage storage;
    private final long maxCachedBytes;
    private final Map<String, byte[]> cache = new LinkedHashMap<>(64, 0.75f, true);
    private long cachedBytes;

    public BlobStore(Storage storage, long maxCachedBytes) {
        this.storage = storage;
        this.maxCachedBytes = maxCachedBytes;
    }

    /** The largest array a JVM makes. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * The uncompressed bytes of a blob of {@code size} bytes as its task recorded it (-1 when not recorded);
     * {@code what} names it in errors (e.g. "artifact model of IrisFlow/12/end/3").
     */
    public byte[] read(String flow, String sha, long size, String what) {
        var cached = cached(sha);
        if (cached != null) {
            return cached;
        }
        var path = flow + "/data/" + sha.substring(0, Math.min(2, sha.length())) + "/" + sha;
        var blob = storage.readBlob(path)
                .orElseThrow(() -> new CorruptArtifactException(what + ": its blob " + storage.describe() + "/" + path
                        + " is missing (was the datastore copied only in part?)"));
        var bytes = isRaw(blob.metadata()) ? blob.bytes() : gunzip(blob.bytes(), size, what, path);
        var actual = sha1(bytes);
        if (!actual.equals(sha)) {
            throw new CorruptArtifactException(
                    what + ": blob " + path + " is damaged: its SHA-1 is " + actual + ", not " + sha);
        }
        remember(sha, bytes);
        return bytes;
    }

    private synchronized byte[] cached(String sha) {
        return cache.get(sha);
    }

    private synchronized void remember(String sha, byte[] bytes) {
        if (bytes.length > maxCachedBytes || cache.containsKey(sha)) {
            return;
        }
        cache.put(sha, bytes);
        cachedBytes += bytes.length;
        var eldest = cache.entrySet().iterator();
        while (cachedBytes > maxCachedBytes && eldest.hasNext()) {
            cachedBytes -= eldest.next().getValue().length;
            eldest.remove();
        }
    }

    private static boolean isRaw(String metadata) {
        if (metadata == null || metadata.isBlank()) {
            return false; // very old datastores wrote no metadata: gzip, as cas_version 1 says
        }
        try {
            return new ObjectMapper().readTree(metadata).path("cas_raw").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Inflates a blob, at most to its recorded size: a damaged or hostile blob of a few KiB can inflate to
     * gigabytes, which would fill the heap before its hash could show it is not the artifact.
     */
    private static byte[] gunzip(byte[] stored, long size, String what, String path) {
        if (size > MAX_ARRAY) {
            throw new UnreadableArtifactException(what + " is " + size + " bytes, more than a JVM reads into one"
                    + " array (2 GiB): save it in smaller parts in the flow");
        }
        try (var in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            var bytes = in.readNBytes(size >= 0 ? (int) size : MAX_ARRAY);
            if (in.read() != -1) {
                throw new CorruptArtifactException(what + ": blob " + path + " is damaged: it inflates past the "
                        + (size >= 0 ? size + " bytes its task recorded" : "2 GiB a JVM reads into one array"));
            }
            return bytes;
        } catch (IOException e) {
            throw new CorruptArtifactException(
                    what + ": blob " + path + " is not valid gzip (" + e.getMessage() + ")", e);
        }
    }

    static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
