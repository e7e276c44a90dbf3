package io.flowhost.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * The JSON Schema (2020-12, the dialect of OpenAPI 3.1) of an endpoint's body and answer, from their Java types as
 * Jackson reads and writes them (victools' generator and its Jackson module: records, POJOs, collections, maps,
 * enums, {@code @JsonProperty} names). Each schema is self-contained (every type inlined), so that it can sit in any
 * OpenAPI document as it is.
 */
final class Schemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaGenerator generator =
            new SchemaGenerator(new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                    .with(new JacksonModule())
                    .with(Option.INLINE_ALL_SCHEMAS, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
                    .without(Option.SCHEMA_VERSION_INDICATOR)
                    .build());

    /** The schema of {@code type}; for a type that refers to itself (which no inlined schema can say), any JSON. */
    @SuppressWarnings("unchecked")
    Map<String, Object> of(Type type) {
        try {
            return JSON.convertValue(generator.generateSchema(type), Map.class);
        } catch (RuntimeException
                | StackOverflowError e) { // a schema is a help to callers: never a reason to refuse a deploy
            return Map.of("description", "a " + type.getTypeName() + " (a type that refers to itself: not described)");
        }
    }
}
