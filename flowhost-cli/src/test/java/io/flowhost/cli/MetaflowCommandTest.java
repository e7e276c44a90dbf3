package io.flowhost.cli;

import static io.flowhost.cli.CommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code flowhost metaflow runs|show} on the real IrisFlow datastore the iris example ships with. */
class MetaflowCommandTest {

    static final String ROOT =
            Path.of("../examples/iris/metaflow").toAbsolutePath().normalize().toString();

    @Test
    void runsAreListedNewestFirstWithTheirOutcomeAndTags() {
        var runs = run("metaflow", "runs", "IrisFlow", "--root", ROOT);

        assertThat(runs.exitCode()).as(runs.err()).isZero();
        var lines = runs.out().lines().toList();
        assertThat(lines.get(0)).startsWith("RUN");
        assertThat(lines.get(1)).startsWith("1795691857254202").contains(" no ").contains("iris-broken");
        assertThat(lines.get(2))
                .startsWith("1795691852170532")
                .contains(" yes ")
                .contains("candidate, fixture, iris-v2");
        assertThat(lines.get(3)).startsWith("1795691848256588").contains(" yes ");
    }

    @Test
    void aTagNarrowsTheRuns() {
        var runs = run("metaflow", "runs", "IrisFlow", "--root", ROOT, "--tag", "iris-v1");

        assertThat(runs.out().lines().skip(1).toList())
                .hasSize(1)
                .first()
                .asString()
                .startsWith("1795691848256588");
    }

    @Test
    void showJsonPrintsTheTaggedValueOfTheLatestSuccessfulRunsArtifact() throws Exception {
        var json = new ObjectMapper();

        var names = run("metaflow", "show", "metaflow://IrisFlow/latest/end/class_names", "--root", ROOT, "--json");
        var threshold = run("metaflow", "show", "metaflow://IrisFlow/latest/end/threshold", "--root", ROOT, "--json");
        var model = run("metaflow", "show", "metaflow://IrisFlow/latest/end/model_onnx", "--root", ROOT, "--json");

        assertThat(json.readTree(names.out()).toString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        assertThat(json.readTree(threshold.out()).asDouble()).isEqualTo(0.65);
        assertThat(json.readTree(model.out()).path("$type").asText()).isEqualTo("bytes");
        assertThat(json.readTree(model.out()).path("length").asInt()).isEqualTo(328);
    }

    @Test
    void showWithATagPicksTheLatestSuccessfulRunCarryingIt() throws Exception {
        var seed = run("metaflow", "show", "metaflow://IrisFlow/latest/end/seed?tag=iris-v1", "--root", ROOT, "--json");

        assertThat(seed.exitCode()).as(seed.err()).isZero();
        assertThat(new ObjectMapper().readTree(seed.out()).asInt()).isEqualTo(7);
    }

    @Test
    void anArtifactOnlyPythonCanReadIsExplained() {
        var show = run("metaflow", "show", "metaflow://IrisFlow/latest/end/sk_model", "--root", ROOT);

        assertThat(show.exitCode()).isEqualTo(1);
        assertThat(show.err())
                .contains("sklearn.linear_model._logistic.LogisticRegression")
                .contains("cannot be read on the JVM");
    }

    @Test
    void aMalformedReferenceIsExplained() {
        var show = run("metaflow", "show", "metaflow://IrisFlow/latest", "--root", ROOT);

        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.err()).contains("metaflow://Flow/<run-id|latest>/step/artifact");
    }

    @Test
    void withoutADatastoreTheCommandSaysHowToNameOne() {
        var runs = run("metaflow", "runs", "IrisFlow", "--root", "/nonexistent/place");

        assertThat(runs.exitCode()).isEqualTo(1);
        assertThat(runs.err()).contains("no .metaflow folder");
    }
}
