package io.flowhost.control.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.domain.deployment.DeploymentFailedException;
import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.metaflow.Datastore.DatastoreOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * At deploy time a malformed {@code metaflow://} reference is the caller's mistake (400), while a well-formed one
 * that names nothing in the datastore fails the deployment (422); checked on the iris example's real datastore.
 */
class ArtifactPinsTest {

    static final DatastoreOptions IRIS = DatastoreOptions.of(
            Path.of("../examples/iris/metaflow").toAbsolutePath().normalize().toString());
    static final String LATEST_SUCCESSFUL = "1795691852170532";

    @Test
    void theProbesEscapingSettingIsTheCallersMistakeNamingTheBadPart() {
        var pins = new ArtifactPins(IRIS);

        assertThatThrownBy(() -> pins.pin(Map.of("model", "metaflow://../../x/y")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageStartingWith("setting model: 'metaflow://../../x/y': ")
                .hasMessageContaining("the flow name '..' is not allowed")
                .hasMessageContaining("one plain name")
                .hasMessageNotContaining("examples")
                .hasMessageNotContaining("src");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiterString = " -> ",
            value = {
                "metaflow://../../x/y -> the flow name '..'",
                "metaflow://IrisFlow/../end/model_onnx -> the run id '..'",
                "metaflow://IrisFlow/latest/./model_onnx -> the step name '.'",
                "metaflow://IrisFlow/latest/end/ -> the artifact name ''",
                "metaflow://IrisFlow/latest/end/..\\..\\model -> the artifact name '..\\..\\model'",
                "metaflow://IrisFlow/latest/end/model_onnx?tag=a%0Ab -> the tag 'a\\u000ab'",
                "metaflow://IrisFlow/latest/end/model_onnx/extra -> has 5 parts",
            })
    void aMalformedModelReferenceIsTheCallersMistake(String reference, String named) {
        var pins = new ArtifactPins(IRIS);

        assertThatThrownBy(() -> pins.pinModel(reference))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageStartingWith("the model: ")
                .hasMessageContaining(named);
    }

    @Test
    void aControlCharacterInAModelReferenceIsTheCallersMistakeShownEscaped() {
        var pins = new ArtifactPins(IRIS);

        assertThatThrownBy(() -> pins.pinModel("metaflow://IrisFlow/latest/end/model\u0000"))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("the artifact name 'model\\u0000' is not allowed");
    }

    @Test
    void aModelReferenceToAStepIsTheCallersMistake() {
        var pins = new ArtifactPins(IRIS);

        assertThatThrownBy(() -> pins.pinModel("metaflow://IrisFlow/latest/end"))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("names a step, not an artifact")
                .hasMessageContaining("metaflow://IrisFlow/latest/end/model_onnx");
    }

    @Test
    void aMalformedReferenceIsTheCallersMistakeEvenWithoutADatastore() {
        var pins = new ArtifactPins(null);

        assertThatThrownBy(() -> pins.pin(Map.of("model", "metaflow://IrisFlow/latest/../model")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("the step name '..'");
        assertThatThrownBy(() -> pins.pin(Map.of("model", "metaflow://IrisFlow/latest/end/model_onnx")))
                .isInstanceOf(DeploymentFailedException.class)
                .hasMessageContaining("need a Metaflow datastore");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "metaflow://NoSuchFlow/latest/end",
                "metaflow://IrisFlow/42/end",
                "metaflow://IrisFlow/latest/end?tag=no-such-tag",
            })
    void aWellFormedSettingThatNamesNoRunFailsTheDeployment(String reference) {
        var pins = new ArtifactPins(IRIS);

        assertThatThrownBy(() -> pins.pin(Map.of("model", reference)))
                .isInstanceOf(DeploymentFailedException.class)
                .hasMessageStartingWith("model (" + reference + "): ");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "metaflow://IrisFlow/latest/end/model_onxx",
                "metaflow://IrisFlow/latest/trian/model_onnx",
                "metaflow://IrisFlow/1795691848256588/end/no_such_artifact",
            })
    void aWellFormedModelReferenceThatNamesNoArtifactFailsTheDeployment(String reference) {
        var pins = new ArtifactPins(IRIS);

        assertThatThrownBy(() -> pins.pinModel(reference))
                .isInstanceOf(DeploymentFailedException.class)
                .hasMessageStartingWith("the model " + reference + ": ");
    }

    @Test
    void wellFormedReferencesArePinnedToTheRunLatestMeansNow() throws Exception {
        var pins = new ArtifactPins(IRIS);

        var settings = pins.pin(Map.of("model", "metaflow://IrisFlow/latest/end", "threshold", "0.5"));
        var model = pins.pinModel("metaflow://IrisFlow/latest/end/model_onnx");

        assertThat(settings.settings())
                .containsEntry("model", "metaflow://IrisFlow/" + LATEST_SUCCESSFUL + "/end")
                .containsEntry("threshold", "0.5");
        assertThat(settings.pins()).containsEntry("IrisFlow", LATEST_SUCCESSFUL);
        assertThat(model.settings())
                .containsEntry("model", "metaflow://IrisFlow/" + LATEST_SUCCESSFUL + "/end/model_onnx");
    }
}
