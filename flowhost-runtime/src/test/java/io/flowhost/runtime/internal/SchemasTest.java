package io.flowhost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.sdk.Batch;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The JSON Schemas an endpoint's descriptor carries, from the records it takes and returns. */
class SchemasTest {

    public record Features(@JsonProperty("sepal_length") double sepalLength, int count, List<String> tags) {}

    public enum Species {
        SETOSA,
        VIRGINICA
    }

    public record Prediction(Species species, Map<String, Double> probabilities) {}

    /** A type that refers to itself: no inlined schema can say it. */
    public record Tree(String name, List<Tree> children) {}

    @Service(name = "shapes")
    public static class Shapes {
        @Endpoint("predict")
        public Prediction predict(Features features) {
            return null;
        }

        @Endpoint("stream")
        public Stream<Prediction> stream(Features features) {
            return Stream.empty();
        }

        @Endpoint(value = "batch", batch = @Batch(maxSize = 4))
        public List<Prediction> batch(List<Features> items) {
            return List.of();
        }

        @Endpoint("tree")
        public Tree tree() {
            return null;
        }

        @Endpoint("nothing")
        public void nothing(Features features) {}
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Service(name = "documented")
    public static class NamedDocs {
        @Endpoint("docs")
        public Prediction docs(Features features) {
            return null;
        }
    }

    @Test
    void anEndpointMayNotTakeTheDocsPagesName() {
        assertThatThrownBy(() -> new ServiceBinder(Json.mapper()).bind(NamedDocs.class))
                .isInstanceOf(ServiceDefinitionException.class)
                .hasMessageContaining("route 'docs' is taken by the service's docs page");
    }

    @Test
    void anEndpointDescribesItsBodyAndAnswerAsJacksonReadsAndWritesThem() throws ServiceDefinitionException {
        var bound = new ServiceBinder(Json.mapper()).bind(Shapes.class);
        var predict = bound.endpoint("predict").descriptor();

        var input = JSON.valueToTree(predict.inputSchema());
        assertThat(input.path("type").asText()).isEqualTo("object");
        assertThat(input.path("properties").path("sepal_length").path("type").asText())
                .isEqualTo("number");
        assertThat(input.path("properties").path("count").path("type").asText()).isEqualTo("integer");
        assertThat(input.path("properties")
                        .path("tags")
                        .path("items")
                        .path("type")
                        .asText())
                .isEqualTo("string");
        assertThat(input.has("$schema"))
                .as("a schema to sit inside an OpenAPI document")
                .isFalse();

        var output = JSON.valueToTree(predict.outputSchema());
        assertThat(output.path("properties").path("species").path("enum").toString())
                .isEqualTo("[\"SETOSA\",\"VIRGINICA\"]");
        assertThat(output.path("properties")
                        .path("probabilities")
                        .path("additionalProperties")
                        .path("type")
                        .asText())
                .isEqualTo("number");
        assertThat(output.toString()).doesNotContain("$ref").doesNotContain("$defs");
    }

    @Test
    void aStreamOrABatchIsDescribedByOneItem() throws ServiceDefinitionException {
        var bound = new ServiceBinder(Json.mapper()).bind(Shapes.class);
        var predict = bound.endpoint("predict").descriptor();
        var stream = bound.endpoint("stream").descriptor();
        var batch = bound.endpoint("batch").descriptor();

        assertThat(stream.outputSchema()).isEqualTo(predict.outputSchema());
        assertThat(batch.outputSchema()).isEqualTo(predict.outputSchema());
        assertThat(batch.inputSchema()).isEqualTo(predict.inputSchema());
    }

    @Test
    void aTypeThatRefersToItselfAndAnEndpointWithoutAnAnswerDoNotFail() throws ServiceDefinitionException {
        var bound = new ServiceBinder(Json.mapper()).bind(Shapes.class);

        assertThat(bound.endpoint("tree").descriptor().outputSchema()).isNotNull();
        assertThat(bound.endpoint("tree").descriptor().inputSchema()).isNull();
        assertThat(bound.endpoint("nothing").descriptor().outputSchema()).isNull();
    }
}
