package io.flowhost.cli.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What the running flowhost was built from: its version, the commit, and the JUnit version its projects test with.
 *
 * @param version the Maven version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit the abbreviated git commit, or {@code unknown} for a build outside git
 * @param junitVersion the JUnit version a project made by {@code flowhost new} tests with
 * @param jacksonVersion the Jackson version flowhost is built with, which the published client's pom names
 * @param onnxruntimeVersion the ONNX Runtime version flowhost is built with, which flowhost-onnx's pom names
 */
public record BuildInfo(
        String version, String commit, String junitVersion, String jacksonVersion, String onnxruntimeVersion) {

    private static final String RESOURCE = "/io/flowhost/cli/build.properties";

    /** The build of this jar, as Maven wrote it into build.properties when it built flowhost-cli. */
    public static BuildInfo current() {
        var properties = new Properties();
        try (var in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: this flowhost was not built by Maven");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new BuildInfo(
                properties.getProperty("version"),
                filled(properties.getProperty("commit")),
                properties.getProperty("junit.version"),
                properties.getProperty("jackson.version"),
                properties.getProperty("onnxruntime.version"));
    }

    /** An unfilled placeholder (a build that never ran the commit plugin) says nothing: unknown. */
    private static String filled(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }
}
