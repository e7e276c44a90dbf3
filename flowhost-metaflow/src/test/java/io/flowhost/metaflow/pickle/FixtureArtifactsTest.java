package io.flowhost.metaflow.pickle;

import static io.flowhost.metaflow.pickle.JsonComparison.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every artifact of the real Metaflow fixtures (copied into test resources from shared/fixtures): IrisFlow
 * written by Metaflow 2.19.38 (pickle protocol 4) and by 2.13.9 (protocol 2), checked against the values
 * Metaflow's own client read ({@code *.expected.json}).
 */
class FixtureArtifactsTest {

    private static final List<String> FIXTURES = List.of("metaflow-iris", "metaflow-iris-legacy");

    /** One row per end-task artifact of every run: {@code runs.<id>.end_task_values.<name>}. */
    static Stream<Arguments> endTaskArtifacts() {
        var rows = new ArrayList<Arguments>();
        for (var fixture : FIXTURES) {
            expected(fixture).get("runs").properties().forEach(run -> {
                var values = run.getValue().get("end_task_values");
                if (values != null) {
                    values.properties()
                            .forEach(artifact -> rows.add(Arguments.of(
                                    fixture + " run " + run.getKey() + " " + artifact.getKey(),
                                    fixture,
                                    artifact.getValue())));
                }
            });
        }
        return rows.stream();
    }

    /** One row per public artifact value of every task attempt: {@code runs.<id>.task_attempt_values.*.public_values}. */
    static Stream<Arguments> attemptArtifacts() {
        var rows = new ArrayList<Arguments>();
        for (var fixture : FIXTURES) {
            expected(fixture)
                    .get("runs")
                    .properties()
                    .forEach(run -> run.getValue()
                            .get("task_attempt_values")
                            .properties()
                            .forEach(attempt -> attempt.getValue()
                                    .get("public_values")
                                    .properties()
                                    .forEach(artifact -> rows.add(Arguments.of(
                                            fixture + " " + attempt.getKey() + " " + artifact.getKey(),
                                            fixture,
                                            artifact.getValue())))));
        }
        return rows.stream();
    }

    /** One row per distinct blob listed in any attempt's data.json, with its recorded size and Python type. */
    static Stream<Arguments> everyBlob() {
        var rows = new LinkedHashMap<String, Arguments>();
        for (var fixture : FIXTURES) {
            expected(fixture)
                    .get("runs")
                    .forEach(run -> run.get("steps")
                            .forEach(step -> step.get("tasks")
                                    .forEach(task -> task.get("attempt_files")
                                            .forEach(attempt -> attempt.get("artifacts")
                                                    .forEach(artifact -> rows.putIfAbsent(
                                                            fixture + " "
                                                                    + artifact.get("sha")
                                                                            .asText(),
                                                            Arguments.of(
                                                                    fixture + " "
                                                                            + artifact.get("sha")
                                                                                    .asText()
                                                                                    .substring(0, 8)
                                                                            + " "
                                                                            + artifact.get("type")
                                                                                    .asText(),
                                                                    fixture,
                                                                    artifact)))))));
        }
        return rows.values().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endTaskArtifacts")
    void endTaskArtifactDecodesToTheValueMetaflowRead(String label, String fixture, JsonNode artifact) {
        checkArtifact(fixture, artifact);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attemptArtifacts")
    void everyAttemptsPublicArtifactDecodesToTheValueMetaflowRead(String label, String fixture, JsonNode artifact) {
        checkArtifact(fixture, artifact);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyBlob")
    void everyBlobHasItsRecordedSizeAndDecodesToItsRecordedType(String label, String fixture, JsonNode artifact) {
        byte[] pickle = TestPickles.blob(fixture, artifact.get("sha").asText());
        assertThat(pickle).hasSize(artifact.get("size").asInt());
        assertThat(TestPickles.sha1(pickle)).isEqualTo(artifact.get("sha").asText());

        String type = artifact.get("type").asText().replaceAll("^<class '(.*)'>$", "$1");
        Class<?> javaType = PYTHON_TO_JAVA.get(type);
        if (type.equals("NoneType")) {
            assertThat(Pickle.decode(pickle)).isNull();
        } else if (javaType != null) {
            assertThat(Pickle.decode(pickle)).isInstanceOf(javaType);
        } else {
            assertThatThrownBy(() -> Pickle.decode(pickle))
                    .isInstanceOfSatisfying(
                            UnsupportedPickleException.class,
                            e -> assertThat(e.pythonType()).contains(type));
        }
    }

    private static final Map<String, Class<?>> PYTHON_TO_JAVA = Map.of(
            "str",
            String.class,
            "int",
            Long.class,
            "float",
            Double.class,
            "bool",
            Boolean.class,
            "list",
            List.class,
            "dict",
            Map.class,
            "tuple",
            PyTuple.class,
            "bytes",
            byte[].class);

    private static void checkArtifact(String fixture, JsonNode artifact) {
        String sha = artifact.get("sha").asText();
        byte[] pickle = TestPickles.blob(fixture, sha);
        assertThat(TestPickles.sha1(pickle))
                .as("SHA-1 of the uncompressed pickle")
                .isEqualTo(sha);
        assertThat(pickle[1])
                .as("pickle protocol")
                .isEqualTo(artifact.get("encoding").asText().endsWith("v2") ? (byte) 2 : (byte) 4);

        var expected = artifact.get("value");
        if (expected.path("$type").asText().equals("opaque")) {
            String pythonType = expected.get("python_type").asText();
            assertThat(artifact.get("python_type").asText()).isEqualTo("<class '" + pythonType + "'>");
            assertThatThrownBy(() -> Pickle.decode(pickle))
                    .isInstanceOfSatisfying(
                            UnsupportedPickleException.class,
                            e -> assertThat(e.pythonType()).contains(pythonType))
                    .hasMessageContaining(pythonType);
            return;
        }
        assertSameJson(expected, PythonJson.toJson(Pickle.decode(pickle)));
    }

    private static JsonNode expected(String fixture) {
        return TestPickles.resourceJson("/pickle-blobs/" + fixture + ".expected.json");
    }
}
