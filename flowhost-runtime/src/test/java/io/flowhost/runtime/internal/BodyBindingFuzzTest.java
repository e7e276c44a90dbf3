package io.flowhost.runtime.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import io.flowhost.wire.protocol.BadInput;
import io.flowhost.wire.protocol.BadRequestException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;

/**
 * Jazzer's coverage-guided fuzzing of how an instance binds a call's JSON body to its endpoint's parameter, with the
 * mapper every endpoint uses: any body either binds, or fails with Jackson's complaint, which {@link BadInput} turns
 * into a 400 whose detail names nothing of Java's (no types, packages or settings), or a body in no encoding JSON
 * has is refused as such. Anything else (another
 * exception, a detail that leaks a class name, a stack overflow, running out of memory, a hang) is a finding that
 * fails the test. The first byte picks the endpoint; seeds are in {@code BodyBindingFuzzTestInputs/}.
 */
class BodyBindingFuzzTest {

    public enum Size {
        SMALL,
        LARGE
    }

    public record Item(@JsonProperty(required = true) String name, double weight, Optional<Integer> count) {}

    public record Order(
            String id,
            int quantity,
            long total,
            float ratio,
            Double score,
            boolean urgent,
            Size size,
            BigDecimal price,
            Instant at,
            List<Item> items,
            Map<String, Double> weights,
            float[] features) {
        public Order {
            if (quantity < 0) {
                throw new IllegalArgumentException("quantity must not be negative");
            }
        }
    }

    public record Batch(List<Item> items, Size[] sizes) {}

    public record Rows(double[][] rows) {}

    @Service(name = "fuzzed")
    public static class Fuzzed {
        @Endpoint
        public Order order(Order order) {
            return order;
        }

        @Endpoint
        public Batch items(Batch batch) {
            return batch;
        }

        @Endpoint
        public Map<String, Object> any(Map<String, Object> body) {
            return body;
        }

        @Endpoint
        public Rows matrix(Rows rows) {
            return rows;
        }
    }

    /** What a 400's detail must never name: Java's types and packages, Jackson's classes and settings, ours. */
    private static final Pattern JAVA_NAMES = Pattern.compile(
            "java\\.|io\\.flowhost|com\\.fasterxml|Exception|Feature|JsonToken|Source:|BodyBindingFuzzTest|Order\\b"
                    + "|\\bItem\\b|Batch|Rows|Fuzzed|\\bint\\b|\\bdouble\\b(?!-quote)|\\bDouble\\b|Integer|BigDecimal|ArrayList|LinkedHashMap");

    private static List<EndpointBinding> endpoints;

    @BeforeAll
    static void bind() throws Exception {
        var bound = new ServiceBinder(Json.mapper()).bind(Fuzzed.class);
        endpoints = List.of(
                bound.endpoint("order"), bound.endpoint("items"), bound.endpoint("any"), bound.endpoint("matrix"));
    }

    @FuzzTest
    void bindsOrSaysWhatIsWrong(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        var endpoint = endpoints.get(Byte.toUnsignedInt(input[0]) % endpoints.size());
        var body = Arrays.copyOfRange(input, 1, input.length);
        try {
            endpoint.read(new ByteArrayInputStream(body));
        } catch (JsonProcessingException refused) {
            var problem = BadInput.problem(refused, "req-1");
            if (problem.status() != 400) {
                throw new AssertionError("a body Jackson refused answered " + problem.status() + ": " + problem);
            }
            mustNotNameJava(problem.detail(), body, refused);
        } catch (BadRequestException refused) {
            mustNotNameJava(refused.getMessage(), body, refused);
        }
    }

    /** Fails when the detail names something of Java's that the caller did not write (quoting a body is fine). */
    private static void mustNotNameJava(String detail, byte[] body, Exception refused) {
        var sent = new String(body, StandardCharsets.ISO_8859_1);
        var names = JAVA_NAMES.matcher(detail);
        while (names.find()) {
            if (!sent.contains(names.group())) {
                throw new AssertionError("the 400 names what runs inside (" + names.group() + "): " + detail, refused);
            }
        }
    }
}
