package io.flowhost.metaflow.internal;

import io.flowhost.metaflow.error.OutsideDatastoreException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A datastore under an S3 prefix, read with the AWS SDK's default credential chain; an endpoint
 * override points it at an S3-compatible store. Blob metadata is the object's user metadata
 * {@code metaflow-user-attributes}. Every key is checked to stay under the prefix.
 */
public final class S3Storage implements Storage {

    private static final String ATTRIBUTES = "metaflow-user-attributes";

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    private S3Storage(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /** Opens {@code s3://bucket/prefix}, at the given endpoint (null for AWS itself). */
    public static S3Storage open(String bucket, String prefix, URI endpoint) {
        var builder =
                S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(region());
        if (endpoint != null) {
            // S3-compatible stores (MinIO, moto, Ceph) serve buckets as paths, not host names.
            builder.endpointOverride(endpoint).forcePathStyle(true);
        } else {
            // A bucket in another region than the client's answers 301, which SDK v2 follows only when asked to
            // (boto3, and so Metaflow itself, always does): a flow's bucket may be anywhere.
            builder.crossRegionAccessEnabled(true);
        }
        return new S3Storage(builder.build(), bucket, prefix.replaceAll("^/+|/+$", ""));
    }

    private static Region region() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            return Region
                    .US_EAST_1; // a bucket elsewhere is followed (cross-region access); S3-compatible stores ignore it
        }
    }

    @Override
    public Listing list(String directory) {
        var dirPrefix = key(directory) + (directory.isEmpty() && prefix.isEmpty() ? "" : "/");
        var request = ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(dirPrefix)
                .delimiter("/")
                .build();
        var dirs = new ArrayList<String>();
        var files = new ArrayList<String>();
        try {
            for (var page : s3.listObjectsV2Paginator(request)) {
                page.commonPrefixes().forEach(p -> dirs.add(strip(p.prefix(), dirPrefix)));
                page.contents().forEach(o -> files.add(strip(o.key(), dirPrefix)));
            }
        } catch (S3Exception e) {
            throw new StorageException(
                    "cannot list " + describe(directory) + ": "
                            + e.awsErrorDetails().errorMessage(),
                    e);
        } catch (SdkException e) {
            throw new StorageException("cannot list " + describe(directory) + ": " + e.getMessage(), e);
        }
        return new Listing(
                dirs.stream().filter(n -> !n.isEmpty()).sorted().toList(),
                files.stream().filter(n -> !n.isEmpty()).sorted().toList());
    }

    @Override
    public Optional<byte[]> read(String path) {
        return readBlob(path).map(Blob::bytes);
    }

    @Override
    public Optional<Blob> readBlob(String path) {
        var request = GetObjectRequest.builder().bucket(bucket).key(key(path)).build();
        try {
            var object = s3.getObjectAsBytes(request);
            return Optional.of(
                    new Blob(object.asByteArray(), object.response().metadata().get(ATTRIBUTES)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            throw new StorageException(
                    "cannot read " + describe(path) + ": " + e.awsErrorDetails().errorMessage(), e);
        } catch (SdkException e) {
            throw new StorageException("cannot read " + describe(path) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String path) {
        try {
            s3.headObject(
                    HeadObjectRequest.builder().bucket(bucket).key(key(path)).build());
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new StorageException(
                    "cannot look up " + describe(path) + ": "
                            + e.awsErrorDetails().errorMessage(),
                    e);
        } catch (SdkException e) {
            throw new StorageException("cannot look up " + describe(path) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    private String describe(String path) {
        return describe() + "/" + path;
    }

    /** The object key of a path under the prefix; refused when the path, normalized, would leave the prefix. */
    private String key(String path) {
        if (leavesItsRoot(path)) {
            throw new OutsideDatastoreException(Quoted.of(path), describe());
        }
        if (prefix.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? prefix : prefix + "/" + path;
    }

    /**
     * Whether the path, normalized as a file path, climbs above where it starts. S3 itself takes {@code ..} as
     * part of a key's name, but a proxy or an S3-compatible server may normalize it as a URL path, so a key that
     * would leave the prefix that way is refused whatever the server would do. A backslash counts as a
     * separator too, for servers that store objects as files on Windows.
     */
    static boolean leavesItsRoot(String path) {
        int depth = 0;
        for (var segment : path.split("[/\\\\]", -1)) {
            if (segment.equals("..")) {
                depth--;
                if (depth < 0) {
                    return true;
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    private static String strip(String key, String dirPrefix) {
        var name = key.substring(dirPrefix.length());
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    @Override
    public void close() {
        s3.close();
    }
}
