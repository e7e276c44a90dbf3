package io.flowhost.domain.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What in a new version of a service would break callers of the running one, read from the endpoints' JSON Schemas:
 * an endpoint gone or called another way; a request that stops accepting what was accepted (a field gone, since
 * instances refuse unknown fields; a field retyped; a field newly required; an enum value gone); an answer that drops
 * or retypes a field. Additions are not breaking. Pure: two descriptors in, the changes out.
 */
public final class SchemaChanges {

    /** The deploy parameter that deploys in spite of them. */
    public static final String ALLOW = "allow-breaking";

    private SchemaChanges() {}

    /** The breaking changes from {@code running} to {@code next}, in words; empty when there is none. */
    public static List<String> breaking(ServiceDescriptor running, ServiceDescriptor next) {
        var changes = new ArrayList<String>();
        for (var old : running.endpoints()) {
            var now = next.endpoint(old.name()).orElse(null);
            if (now == null) {
                changes.add("endpoint '" + old.name() + "' is gone");
                continue;
            }
            if (!old.method().equals(now.method())) {
                changes.add("endpoint '" + old.name() + "' is called with " + now.method() + ", not " + old.method());
                continue;
            }
            if (old.streams() != now.streams()) {
                changes.add("endpoint '" + old.name() + "' " + (now.streams() ? "now streams" : "no longer streams")
                        + " its answer");
            }
            request(old.name() + " request", old.inputSchema(), now.inputSchema(), changes);
            answer(old.name() + " answer", old.outputSchema(), now.outputSchema(), changes);
        }
        return changes;
    }

    private static void request(String where, Map<String, Object> old, Map<String, Object> now, List<String> out) {
        if (old == null || now == null || retyped(where, old, now, out)) {
            return;
        }
        var oldProperties = properties(old);
        var newProperties = properties(now);
        oldProperties.forEach((name, schema) -> {
            var field = where + " field '" + name + "'";
            if (!newProperties.containsKey(name)) {
                out.add(field + " is no longer accepted");
            } else {
                request(field, map(schema), map(newProperties.get(name)), out);
            }
        });
        for (var name : list(now.get("required"))) {
            if (!list(old.get("required")).contains(name)) {
                out.add(where + " field '" + name + "' is now required");
            }
        }
        var oldValues = list(old.get("enum"));
        var newValues = list(now.get("enum"));
        if (!oldValues.isEmpty() && !newValues.isEmpty()) {
            for (var value : oldValues) {
                if (!newValues.contains(value)) {
                    out.add(where + " no longer accepts " + value);
                }
            }
        }
        request(where + " item", map(old.get("items")), map(now.get("items")), out);
    }

    private static void answer(String where, Map<String, Object> old, Map<String, Object> now, List<String> out) {
        if (old == null || now == null || retyped(where, old, now, out)) {
            return;
        }
        var newProperties = properties(now);
        properties(old).forEach((name, schema) -> {
            var field = where + " field '" + name + "'";
            if (!newProperties.containsKey(name)) {
                out.add(field + " is dropped");
            } else {
                answer(field, map(schema), map(newProperties.get(name)), out);
            }
        });
        answer(where + " item", map(old.get("items")), map(now.get("items")), out);
    }

    /** Whether the type changed (said so in {@code out}); a schema that says no type accepts any. */
    private static boolean retyped(String where, Map<String, Object> old, Map<String, Object> now, List<String> out) {
        var oldType = old.get("type");
        var newType = now.get("type");
        if (oldType != null && newType != null && !Objects.equals(oldType, newType)) {
            out.add(where + " is " + newType + ", not " + oldType);
            return true;
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> schema) {
        return schema.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}
