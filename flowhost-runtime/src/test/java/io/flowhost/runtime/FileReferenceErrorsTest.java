package io.flowhost.runtime;

import static io.flowhost.runtime.TestHttp.json;
import static io.flowhost.runtime.TestHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.runtime.options.InstanceOptions;
import io.flowhost.sdk.ArtifactException;
import io.flowhost.sdk.CallRejectedException;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import io.flowhost.sdk.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code file:} reference that cannot be read fails with the same words whether the file is missing, a directory
 * or unreadable, and names nothing of the file system but the reference: its failure must not tell whoever wrote the
 * reference what exists on the instance's machine.
 */
class FileReferenceErrorsTest {

    public record Reference(String reference) {}

    @Service(name = "artifacts")
    public static class ArtifactService {

        private final ServiceContext context;

        public ArtifactService(ServiceContext context) {
            this.context = context;
        }

        /** Reads an artifact; its failure comes back as the detail of a 422. */
        @Endpoint
        public int size(Reference reference) {
            try {
                return context.artifacts().bytes(reference.reference()).length;
            } catch (ArtifactException e) {
                throw new CallRejectedException(e.getMessage());
            }
        }
    }

    private static Instance instance;

    @BeforeAll
    static void serve() throws Exception {
        instance = Instance.serve(InstanceOptions.forClass(ArtifactService.class));
    }

    @AfterAll
    static void close() {
        if (instance != null) {
            instance.close();
        }
    }

    /** Paths that name no readable file, each in its own way. */
    private static Map<String, Path> unreadable(Path dir) throws Exception {
        var paths = new LinkedHashMap<String, Path>();
        paths.put("missing", dir.resolve("absent.onnx"));
        paths.put("a directory", Files.createDirectory(dir.resolve("models")));
        paths.put(
                "under a file", Files.writeString(dir.resolve("plain.txt"), "x").resolve("model.onnx"));
        paths.put("a dangling link", Files.createSymbolicLink(dir.resolve("link.onnx"), dir.resolve("gone.onnx")));
        return paths;
    }

    @Test
    void anArtifactThatIsMissingADirectoryUnderAFileOrADanglingLinkFailsWithTheSameWords(@TempDir Path dir)
            throws Exception {
        var details = new LinkedHashMap<String, String>();
        for (var entry : unreadable(dir).entrySet()) {
            details.put(entry.getKey(), artifactFailure("file:" + entry.getValue()));
        }

        assertThat(details.values()).doesNotContainNull().hasSize(4);
        assertThat(details.values().stream().distinct()).as(details.toString()).hasSize(1);
        assertThat(details.get("missing"))
                .isEqualTo("artifact <reference> cannot be read: it names no file this instance can read (check that"
                        + " the path is that of a regular file, and that the instance may read it)");
    }

    @Test
    void anArtifactWithoutReadPermissionFailsWithTheSameWordsAsAMissingOne(@TempDir Path dir) throws Exception {
        var locked = Files.writeString(dir.resolve("locked.onnx"), "weights");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(locked))
                .as("a process that may read every file (root) cannot test this")
                .isFalse();

        assertThat(artifactFailure("file:" + locked)).isEqualTo(artifactFailure("file:" + dir.resolve("absent")));
    }

    @Test
    void aMissingRelativeArtifactDoesNotTellTheInstancesWorkingDirectory() {
        var response = post(instance.port(), "/v1/services/artifacts/size", "{\"reference\": \"file:no/such.onnx\"}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(json(response).path("detail").asText())
                .contains("file:no/such.onnx")
                .doesNotContain(Path.of("").toAbsolutePath().toString());
    }

    @Test
    void anOnnxModelThatIsMissingADirectoryUnderAFileOrADanglingLinkFailsWithTheSameWords(@TempDir Path dir)
            throws Exception {
        var messages = new LinkedHashMap<String, String>();
        for (var entry : unreadable(dir).entrySet()) {
            var reference = "file:" + entry.getValue();
            assertThatThrownBy(() -> Instance.serve(InstanceOptions.forOnnx(reference, "model")))
                    .isInstanceOf(ServiceDefinitionException.class)
                    .satisfies(e -> messages.put(entry.getKey(), e.getMessage().replace(reference, "<reference>")));
        }

        assertThat(messages.values().stream().distinct())
                .as(messages.toString())
                .hasSize(1);
        assertThat(messages.get("missing"))
                .startsWith("cannot load the model <reference>: ")
                .contains("cannot be read")
                .doesNotContain(dir.toString());
    }

    /** The detail of the 422 a failed read of this reference gets, with the reference itself left out. */
    private static String artifactFailure(String reference) {
        var response = post(instance.port(), "/v1/services/artifacts/size", "{\"reference\": \"" + reference + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        return json(response).path("detail").asText().replace(reference, "<reference>");
    }
}
