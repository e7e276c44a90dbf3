package io.flowhost.cli;

import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where Metaflow artifacts are read from, shared by the commands that read them. */
final class MetaflowOptions {

    @Option(
            names = {"--metaflow-root", "--root"},
            paramLabel = "ROOT",
            description = "The Metaflow datastore: a folder holding .metaflow, or s3://bucket/prefix "
                    + "(default: $METAFLOW_DATASTORE_SYSROOT_S3, else $METAFLOW_DATASTORE_SYSROOT_LOCAL).")
    String root;

    @Option(
            names = "--s3-endpoint",
            paramLabel = "URL",
            description = "An S3-compatible endpoint for an s3:// root (MinIO, moto...).")
    URI s3Endpoint;

    @Option(
            names = "--metadata-root",
            paramLabel = "DIR",
            description = "Where Metaflow's local metadata is (run tags, creation times) for an s3:// root.")
    Path metadataRoot;

    /** The datastore options, if a root was given or Metaflow's variables name one. */
    Optional<DatastoreOptions> options() {
        var chosen = root != null ? Optional.of(root) : Datastore.rootFromEnvironment(System.getenv());
        return chosen.map(r -> new DatastoreOptions(r, s3Endpoint, metadataRoot));
    }

    /** The datastore options, or a failure saying how to name one. */
    DatastoreOptions required() {
        return options()
                .orElseThrow(() -> new CliException(
                        "no Metaflow datastore: give --root (a folder holding "
                                + ".metaflow, or s3://bucket/prefix) or set " + Datastore.LOCAL_ROOT_VARIABLE + " or "
                                + Datastore.S3_ROOT_VARIABLE,
                        2));
    }
}
