package io.flowhost.runtime.predictions;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowhost.sdk.predictions.Prediction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;

/**
 * Writes a prediction as one line of JSON: a body that is JSON is embedded as JSON (re-written on
 * one line), any other body goes in base64 under the field's name with {@code Base64} appended.
 */
final class PredictionJson {

    private final ObjectMapper json = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Keep numbers exact: 12345678901234567890.123456789 is not cut to a double's 17 digits.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** The prediction as a JSON object followed by a newline, UTF-8. */
    byte[] line(Prediction p) throws IOException {
        var line = json.createObjectNode()
                .put("time", p.time().toString())
                .put("deployment", p.deployment())
                .put("variant", p.variant())
                .put("service", p.service())
                .put("endpoint", p.endpoint())
                .put("metaflowRun", p.metaflowRun())
                .put("requestId", p.requestId())
                .put("traceId", p.traceId())
                .put("status", p.status())
                // Milliseconds with microsecond precision: what a training flow or a plot wants, not ISO PT0.0012S.
                .put("latencyMs", Math.round(p.latency().toNanos() / 1_000.0) / 1_000.0);
        body(line, "request", p.request());
        body(line, "response", p.response());
        var out = new ByteArrayOutputStream(256 + p.request().length + p.response().length);
        json.writeValue(out, line);
        out.write('\n');
        return out.toByteArray();
    }

    private void body(ObjectNode line, String field, byte[] body) {
        if (body.length == 0) {
            line.putNull(field);
            return;
        }
        var parsed = parse(body);
        if (parsed != null && !parsed.isMissingNode()) {
            line.set(field, parsed);
        } else {
            line.put(field + "Base64", Base64.getEncoder().encodeToString(body));
        }
    }

    /** The body as a JSON tree, or null (or a missing node, for blank text) when it is not one JSON value. */
    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
