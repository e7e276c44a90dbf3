package io.flowhost.runtime.internal;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

/** The JSON mapping every endpoint uses: strict on input, so mistakes are reported rather than ignored. */
public final class Json {

    private Json() {}

    /**
     * A mapper that rejects unknown fields, missing primitives, duplicate keys and numbers a double or a float
     * cannot hold, and writes dates as ISO-8601 text.
     */
    public static ObjectMapper mapper() {
        // Jackson's default buffer pool is per thread, and every call runs on a new virtual thread, so
        // it allocated fresh buffers for each call: a pool shared by all threads reuses them.
        var factory = new FiniteNumbersFactory(new JsonFactoryBuilder()
                .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
                // Otherwise the last of two equal keys wins, and a check that read the first is fooled.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION));
        return new ObjectMapper(factory)
                .registerModule(new ParameterNamesModule())
                .registerModule(new Jdk8Module())
                .registerModule(new JavaTimeModule())
                .registerModule(new FiniteFloats())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }
}
