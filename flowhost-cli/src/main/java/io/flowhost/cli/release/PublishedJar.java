package io.flowhost.cli.release;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A flowhost jar that services compile against, carried inside the command's jar to be put into Maven repositories,
 * with a pom of its own that names no parent and no dependency: the instance that runs a service brings the rest.
 *
 * @param artifactId the Maven artifact id, e.g. {@code flowhost-sdk}
 * @param version the Maven version
 * @param description one line for the pom
 * @param jar the jar's bytes
 */
public record PublishedJar(String artifactId, String version, String description, byte[] jar) {

    /** The group every flowhost artifact is in. */
    public static final String GROUP_ID = "io.flowhost";

    /** The SDK: the annotations and types a service is written with. */
    public static PublishedJar sdk(BuildInfo build) {
        return carried("flowhost-sdk", build, "The annotations and the few types a service author touches.");
    }

    /**
     * The Metaflow reader, for its value types (NdArray, PyTuple...) that a service may hold; compile against it as
     * {@code provided} only: its own dependencies (Jackson, the AWS SDK) are not listed, the instance has them.
     */
    public static PublishedJar metaflowReader(BuildInfo build) {
        return carried(
                "flowhost-metaflow",
                build,
                "Metaflow's artifacts read on the JVM; published for its value types, to compile against as provided.");
    }

    private static PublishedJar carried(String artifactId, BuildInfo build, String description) {
        var resource = "/io/flowhost/cli/release/published/" + artifactId + ".jar";
        try (var in = PublishedJar.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the flowhost jar: build it with Maven");
            }
            return new PublishedJar(artifactId, build.version(), description, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The pom published with the jar: coordinates and description, nothing to resolve beyond it. */
    public String pom() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>%s</groupId>
                  <artifactId>%s</artifactId>
                  <version>%s</version>
                  <name>%s</name>
                  <description>%s</description>
                </project>
                """.formatted(GROUP_ID, artifactId, version, artifactId, description);
    }
}
