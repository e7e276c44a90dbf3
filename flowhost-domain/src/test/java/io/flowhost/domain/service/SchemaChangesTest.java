package io.flowhost.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaChangesTest {

    private static Map<String, Object> object(Map<String, Object> properties, String... required) {
        return Map.of("type", "object", "properties", properties, "required", List.of(required));
    }

    private static final Map<String, Object> STRING = Map.of("type", "string");
    private static final Map<String, Object> INTEGER = Map.of("type", "integer");

    private static ServiceDescriptor service(EndpointDescriptor... endpoints) {
        return new ServiceDescriptor("svc", "Svc", List.of(endpoints));
    }

    private static EndpointDescriptor post(String name, Map<String, Object> in, Map<String, Object> out) {
        return new EndpointDescriptor(name, "POST", "In", "Out", "", List.of("sync"), null, false, in, out);
    }

    @Test
    void addingFieldsOrEndpointsBreaksNobody() {
        var v1 = service(post("a", object(Map.of("x", STRING)), object(Map.of("y", INTEGER))));
        var v2 = service(
                post("a", object(Map.of("x", STRING, "z", STRING)), object(Map.of("y", INTEGER, "w", STRING))),
                post("b", null, null));

        assertThat(SchemaChanges.breaking(v1, v2)).isEmpty();
    }

    @Test
    void aRequestThatStopsAcceptingWhatItDidAndAnAnswerThatDropsOrRetypesAFieldBreakCallers() {
        var v1 = service(
                post(
                        "a",
                        object(Map.of(
                                "x",
                                STRING,
                                "n",
                                INTEGER,
                                "kind",
                                Map.of("type", "string", "enum", List.of("A", "B")),
                                "tags",
                                Map.of("type", "array", "items", STRING))),
                        object(Map.of("y", INTEGER, "z", STRING))),
                post("gone", null, null));
        var v2 = service(post(
                "a",
                object(
                        Map.of(
                                "n",
                                STRING,
                                "kind",
                                Map.of("type", "string", "enum", List.of("A")),
                                "tags",
                                Map.of("type", "array", "items", INTEGER),
                                "must",
                                STRING),
                        "must"),
                object(Map.of("y", STRING))));

        assertThat(SchemaChanges.breaking(v1, v2))
                .containsExactlyInAnyOrder(
                        "a request field 'x' is no longer accepted",
                        "a request field 'n' is string, not integer",
                        "a request field 'kind' no longer accepts B",
                        "a request field 'tags' item is integer, not string",
                        "a request field 'must' is now required",
                        "a answer field 'y' is string, not integer",
                        "a answer field 'z' is dropped",
                        "endpoint 'gone' is gone");
    }

    @Test
    void aMethodOrStreamingChangeBreaksAndADescriptorWithoutSchemasIsNotJudged() {
        var v1 = service(post("a", null, null), post("s", null, null));
        var v2 = service(
                new EndpointDescriptor("a", "GET", "", "Out", "", List.of("sync"), null, false, null, null),
                new EndpointDescriptor("s", "POST", "In", "Out", "", List.of("sync"), null, true, null, null));

        assertThat(SchemaChanges.breaking(v1, v2))
                .containsExactly("endpoint 'a' is called with GET, not POST", "endpoint 's' now streams its answer");
    }
}
