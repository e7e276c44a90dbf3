package io.flowhost.gateway.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a shadow's answer agrees with the primary's: the same status and, for JSON bodies, the same document,
 * numbers within a tolerance (a model retrained on the same data rarely gives the same last digit); any other body
 * byte for byte. Pure: says why they differ, or null when they agree.
 */
public final class Agreement {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Agreement() {}

    /** Null when the answers agree; else the first difference, in words. */
    public static String differs(int primaryStatus, byte[] primary, int shadowStatus, byte[] shadow, double tolerance) {
        if (primaryStatus != shadowStatus) {
            return "status " + shadowStatus + ", the primary's " + primaryStatus;
        }
        if (primary == null || shadow == null) {
            return null; // a body too large to keep: the statuses are all there is to compare
        }
        if (Arrays.equals(primary, shadow)) {
            return null; // the usual case, and no parsing: the same bytes are the same document
        }
        JsonNode a;
        JsonNode b;
        try {
            a = JSON.readTree(primary);
            b = JSON.readTree(shadow);
        } catch (IOException notJson) {
            return Arrays.equals(primary, shadow) ? null : "the bodies differ";
        }
        if (a == null || b == null) {
            return Arrays.equals(primary, shadow) ? null : "the bodies differ";
        }
        return differs("$", a, b, tolerance);
    }

    private static String differs(String at, JsonNode a, JsonNode b, double tolerance) {
        if (a.isNumber() && b.isNumber()) {
            double delta = Math.abs(a.asDouble() - b.asDouble());
            return delta <= tolerance ? null : at + ": " + b.asText() + ", the primary's " + a.asText();
        }
        if (a.getNodeType() != b.getNodeType()) {
            return at + ": " + b.getNodeType().name().toLowerCase(Locale.ROOT) + ", the primary's "
                    + a.getNodeType().name().toLowerCase(Locale.ROOT);
        }
        if (a.isObject()) {
            if (a.size() != b.size()) {
                return at + ": " + b.size() + " fields, the primary's " + a.size();
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                var field = it.next();
                var other = b.get(field.getKey());
                if (other == null) {
                    return at + "." + field.getKey() + ": missing";
                }
                var why = differs(at + "." + field.getKey(), field.getValue(), other, tolerance);
                if (why != null) {
                    return why;
                }
            }
            return null;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) {
                return at + ": " + b.size() + " items, the primary's " + a.size();
            }
            for (int i = 0; i < a.size(); i++) {
                var why = differs(at + "[" + i + "]", a.get(i), b.get(i), tolerance);
                if (why != null) {
                    return why;
                }
            }
            return null;
        }
        return a.equals(b) ? null : at + ": " + b + ", the primary's " + a;
    }
}
