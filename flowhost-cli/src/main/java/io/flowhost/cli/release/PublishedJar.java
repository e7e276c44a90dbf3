package io.flowhost.cli.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A flowhost jar that users build against, carried inside the command's jar to be put into Maven repositories, with
 * a pom of its own that names no parent, and only the dependencies a build needs from elsewhere (the SDK has none; for
 * the Metaflow reader, the instance that runs a service brings them).
 *
 * @param artifactId the Maven artifact id, e.g. {@code flowhost-sdk}
 * @param version the Maven version
 * @param description one line for the pom
 * @param jar the jar's bytes
 * @param dependencies what the pom lists, as {@code group:artifact:version}
 */
public record PublishedJar(
        String artifactId, String version, String description, byte[] jar, List<String> dependencies) {

    /** The group every flowhost artifact is in. */
    public static final String GROUP_ID = "io.flowhost";

    /** The SDK: the annotations and types a service is written with. */
    public static PublishedJar sdk(BuildInfo build) {
        return carried("flowhost-sdk", build, "The annotations and the few types a service author touches.", List.of());
    }

    /** The client, for calling flowhost from any JVM program; it needs Jackson, from Maven Central. */
    public static PublishedJar client(BuildInfo build) {
        return carried(
                "flowhost-client",
                build,
                "Calls flowhost's services from any JVM program.",
                List.of("com.fasterxml.jackson.core:jackson-databind:" + build.jacksonVersion()));
    }

    /**
     * The Metaflow reader, for its value types (NdArray, PyTuple...) that a service may hold; compile against it as
     * {@code provided} only: its own dependencies (Jackson, the AWS SDK) are not listed, the instance has them.
     */
    public static PublishedJar metaflowReader(BuildInfo build) {
        return carried(
                "flowhost-metaflow",
                build,
                "Metaflow's artifacts read on the JVM; published for its value types, to compile against as provided.",
                List.of());
    }

    /**
     * OnnxModel's module, for a service holding an ONNX model; compile against it as {@code provided}: the instance
     * has it, and ONNX Runtime, which its pom names.
     */
    public static PublishedJar onnx(BuildInfo build) {
        return carried(
                "flowhost-onnx",
                build,
                "ONNX models run with ONNX Runtime; published for OnnxModel, to compile against as provided.",
                List.of(
                        "com.microsoft.onnxruntime:onnxruntime:" + build.onnxruntimeVersion(),
                        "com.fasterxml.jackson.core:jackson-databind:" + build.jacksonVersion()));
    }

    /** One of the jars above by its artifact id. */
    public static PublishedJar byArtifactId(String artifactId, BuildInfo build) {
        return switch (artifactId) {
            case "flowhost-sdk" -> sdk(build);
            case "flowhost-client" -> client(build);
            case "flowhost-metaflow" -> metaflowReader(build);
            case "flowhost-onnx" -> onnx(build);
            default -> throw new IllegalArgumentException("flowhost publishes no " + artifactId);
        };
    }

    private static PublishedJar carried(
            String artifactId, BuildInfo build, String description, List<String> dependencies) {
        var resource = "/io/flowhost/cli/release/published/" + artifactId + ".jar";
        try (var in = PublishedJar.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the flowhost jar: build it with Maven");
            }
            return new PublishedJar(artifactId, build.version(), description, in.readAllBytes(), dependencies);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The pom published with the jar: coordinates, description and the dependencies, no parent. */
    public String pom() {
        var listed = new StringBuilder();
        for (var dependency : dependencies) {
            var parts = dependency.split(":");
            listed.append("""
                        <dependency>
                          <groupId>%s</groupId>
                          <artifactId>%s</artifactId>
                          <version>%s</version>
                        </dependency>
                    """.formatted(parts[0], parts[1], parts[2]));
        }
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
                %s</project>
                """.formatted(
                        GROUP_ID,
                        artifactId,
                        version,
                        artifactId,
                        description,
                        listed.isEmpty() ? "" : "  <dependencies>\n" + listed + "  </dependencies>\n");
    }
}
