package io.flowhost.control.deploy;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.deployment.InvalidSettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactRootsTest {

    @TempDir
    Path dir;

    private Path models;
    private ArtifactRoots roots;

    @BeforeEach
    void folders() throws IOException {
        models = Files.createDirectories(dir.resolve("models"));
        Files.writeString(models.resolve("iris.onnx"), "model");
        Files.writeString(dir.resolve("key.pem"), "secret");
        roots = ArtifactRoots.of(List.of(models));
    }

    @Test
    void aFileUnderARootIsNamedFreelyAndOtherValuesAreNotReferences() {
        assertThatCode(() -> roots.check("the model", "file:" + models.resolve("iris.onnx")))
                .doesNotThrowAnyException();
        assertThatCode(() -> roots.check("the model", "file:" + models.resolve("not-yet-there.onnx")))
                .as("judged by its path when it is not on this machine")
                .doesNotThrowAnyException();
        assertThatCode(() -> roots.check("setting threshold", "0.7")).doesNotThrowAnyException();
        assertThatCode(() -> roots.check("the model", "metaflow://IrisFlow/latest/end/model_onnx"))
                .doesNotThrowAnyException();
    }

    @Test
    void aFileOutsideEveryRootIsRefusedHoweverItIsWritten() throws IOException {
        Files.createSymbolicLink(models.resolve("link.pem"), dir.resolve("key.pem"));
        for (var escape : List.of(
                "file:/etc/passwd",
                "file:" + models + "/../key.pem",
                "file:" + models.resolve("link.pem"),
                "file:" + dir.resolve("models-old/iris.onnx"))) {
            assertThatThrownBy(() -> roots.check("setting key", escape))
                    .as(escape)
                    .isInstanceOf(InvalidSettingsException.class)
                    .hasMessageContaining("is outside the folders file: references may name (--artifact-root "
                            + models.toRealPath() + ")");
        }
        assertThatThrownBy(() -> roots.check("setting key", "file:models/iris.onnx"))
                .hasMessageContaining("is not an absolute path");
    }

    @Test
    void withNoRootsEveryFileReferenceIsRefusedSayingWhichFlagAllowsIt() {
        assertThatThrownBy(() -> ArtifactRoots.none().check("the model", "file:" + models.resolve("iris.onnx")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("--artifact-root");
    }

    @Test
    void aRootThatIsNotAFolderIsRefusedAtStart() {
        assertThatThrownBy(() -> ArtifactRoots.of(List.of(dir.resolve("missing"))))
                .hasMessageContaining("artifact-root: " + dir.resolve("missing") + " (expected: an existing folder)");
        assertThatThrownBy(() -> ArtifactRoots.of(List.of(dir.resolve("key.pem"))))
                .hasMessageContaining("is not a folder");
    }
}
